import { ts } from "ts-morph";
import { UnsupportedConstructError } from "./errors.js";

/** A rolled-up declaration file and the names it exports. */
export interface BundledDeclaration {
  /** The text of the `.d.ts` file. */
  readonly text: string;
  /** Exported names, sorted; `default` for a default export. */
  readonly exportedNames: readonly string[];
}

interface ExternalImport {
  readonly module: string;
  /** The name exported by the module, `default`, or `*` for a namespace import. */
  readonly imported: string;
  localName: string;
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type Resolution =
  | { readonly kind: "skip" }
  | { readonly kind: "local"; readonly symbol: ts.Symbol }
  | { readonly kind: "external"; readonly module: string; readonly imported: string };

const SKIP: Resolution = { kind: "skip" };

const NEEDS_DECLARE = new Set([
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
]);

function isRelativeSpecifier(specifier: string): boolean {
  return (
    specifier.startsWith("./") ||
    specifier.startsWith("../") ||
    specifier === "." ||
    specifier === ".."
  );
}

function moduleSpecifierOf(node: ts.Node): string | undefined {
  let current: ts.Node | undefined = node;
  while (current && !ts.isSourceFile(current)) {
    if (
      (ts.isImportDeclaration(current) || ts.isExportDeclaration(current)) &&
      current.moduleSpecifier &&
      ts.isStringLiteral(current.moduleSpecifier)
    ) {
      return current.moduleSpecifier.text;
    }
    if (
      ts.isImportEqualsDeclaration(current) &&
      ts.isExternalModuleReference(current.moduleReference)
    ) {
      const expression = current.moduleReference.expression;
      return ts.isStringLiteral(expression) ? expression.text : undefined;
    }
    current = current.parent;
  }
  return undefined;
}

function importedNameOf(declaration: ts.Declaration): string {
  if (ts.isImportSpecifier(declaration) || ts.isExportSpecifier(declaration)) {
    return (declaration.propertyName ?? declaration.name).text;
  }
  if (ts.isImportClause(declaration)) return "default";
  if (ts.isNamespaceImport(declaration) || ts.isNamespaceExport(declaration)) return "*";
  if (ts.isImportEqualsDeclaration(declaration)) return "*";
  return declaration.getText();
}

function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent && ts.isSourceFile(current.parent) ? (current as ts.Statement) : undefined;
}

/** The name a declaration was written with: `f` for `export default function f`. */
function declaredName(symbol: ts.Symbol): string {
  if (symbol.name !== "default") return symbol.name;
  const declaration = symbol.declarations?.[0] as (ts.Declaration & { name?: ts.Node }) | undefined;
  return declaration?.name && ts.isIdentifier(declaration.name)
    ? declaration.name.text
    : "_default";
}

function isNamespaceAlias(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  return (
    declaration !== undefined &&
    (ts.isNamespaceImport(declaration) || ts.isNamespaceExport(declaration))
  );
}

function location(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

/**
 * Rolls the declarations reachable from one entry file into a single self-contained `.d.ts`.
 * Local declarations are inlined (renamed on collision), imports of other modules are kept as
 * imports, and only the entry's exports are exported.
 */
export class DeclarationBundler {
  private readonly checker: ts.TypeChecker;
  private readonly localNames = new Map<ts.Symbol, string>();
  private readonly usedNames = new Set<string>();
  private readonly externals = new Map<string, ExternalImport>();
  private readonly emitted = new Set<ts.Statement>();
  private readonly chunks: string[] = [];
  private readonly pending: ts.Symbol[] = [];
  private readonly namespaceMembers = new Map<ts.Symbol, string>();
  private readonly memberAliases: string[] = [];

  constructor(
    program: ts.Program,
    private readonly isLocalFile: (fileName: string) => boolean,
  ) {
    this.checker = program.getTypeChecker();
  }

  bundle(entry: ts.SourceFile, header: string): BundledDeclaration {
    const moduleSymbol = this.checker.getSymbolAtLocation(entry);
    if (!moduleSymbol) {
      return { text: `${header}\nexport {};\n`, exportedNames: [] };
    }
    const starModules = this.externalStarExports(entry);
    const exports = this.checker.getExportsOfModule(moduleSymbol);
    const exportClauses: string[] = [];
    const exportedNames: string[] = [];
    const resolved = exports.map((symbol) => ({ symbol, target: this.resolveSymbol(symbol) }));

    // Members of `export * as ns from "./x.js"` are declared inside `declare namespace ns { … }`
    // and referred to elsewhere as `ns.member`.
    for (const { target } of resolved) {
      if (target.kind !== "local" || !isNamespaceAlias(target.symbol)) continue;
      const namespaceName = this.localName(target.symbol);
      for (const member of this.checker.getExportsOfModule(
        this.checker.getAliasedSymbol(target.symbol),
      )) {
        const memberTarget = this.resolveSymbol(member);
        if (memberTarget.kind !== "local" || this.localNames.has(memberTarget.symbol)) continue;
        this.localNames.set(memberTarget.symbol, `${namespaceName}.${member.name}`);
        this.namespaceMembers.set(memberTarget.symbol, member.name);
      }
    }
    // Exported declarations keep their public name; internal ones yield on a collision.
    for (const { target } of resolved) {
      if (target.kind === "local" && !this.localNames.has(target.symbol)) {
        const name = declaredName(target.symbol);
        if (!this.usedNames.has(name)) this.claimLocal(target.symbol, name);
      }
    }
    for (const { symbol, target } of resolved) {
      const exportedName = symbol.name;
      if (target.kind === "skip") {
        if (starModules.some((module) => this.moduleExports(module, entry).has(exportedName)))
          continue;
        throw new UnsupportedConstructError(
          symbol.declarations?.[0] ? location(symbol.declarations[0]) : entry.fileName,
          `cannot tell where the export "${exportedName}" is declared`,
        );
      }
      const name =
        target.kind === "local"
          ? this.localName(target.symbol)
          : this.externalName(target.module, target.imported, exportedName);
      exportedNames.push(exportedName);
      const exportable = name.includes(".") ? this.aliasMember(name, exportedName) : name;
      exportClauses.push(
        exportable === exportedName ? exportable : `${exportable} as ${exportedName}`,
      );
    }
    this.drain();

    const lines = [header];
    const imports = [...this.externals.values()].sort(
      (a, b) => a.module.localeCompare(b.module) || a.imported.localeCompare(b.imported),
    );
    for (const external of imports) lines.push(this.importStatement(external));
    if (imports.length > 0) lines.push("");
    for (const chunk of this.chunks) lines.push(chunk, "");
    for (const alias of this.memberAliases) lines.push(alias);
    if (this.memberAliases.length > 0) lines.push("");
    exportClauses.sort((a, b) => a.localeCompare(b));
    lines.push(
      exportClauses.length > 0 ? `export {\n  ${exportClauses.join(",\n  ")},\n};` : "export {};",
    );
    for (const module of starModules) lines.push(`export * from ${JSON.stringify(module)};`);
    return { text: `${lines.join("\n")}\n`, exportedNames: exportedNames.sort() };
  }

  private importStatement(external: ExternalImport): string {
    const from = JSON.stringify(external.module);
    if (external.imported === "*") return `import * as ${external.localName} from ${from};`;
    if (external.imported === "default") return `import ${external.localName} from ${from};`;
    return external.imported === external.localName
      ? `import { ${external.imported} } from ${from};`
      : `import { ${external.imported} as ${external.localName} } from ${from};`;
  }

  /** `export * from "pkg"` statements reachable from the entry through local star exports. */
  private externalStarExports(entry: ts.SourceFile): string[] {
    const modules = new Set<string>();
    const seen = new Set<ts.SourceFile>();
    const visit = (file: ts.SourceFile): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const statement of file.statements) {
        if (!ts.isExportDeclaration(statement) || statement.exportClause) continue;
        if (!statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const specifier = statement.moduleSpecifier.text;
        if (!isRelativeSpecifier(specifier)) {
          modules.add(specifier);
          continue;
        }
        const target = this.checker.getSymbolAtLocation(statement.moduleSpecifier);
        const declaration = target?.declarations?.[0];
        if (declaration && ts.isSourceFile(declaration)) visit(declaration);
      }
    };
    visit(entry);
    return [...modules].sort();
  }

  private moduleExports(module: string, from: ts.SourceFile): Set<string> {
    const names = new Set<string>();
    for (const statement of from.statements) {
      if (
        ts.isExportDeclaration(statement) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        statement.moduleSpecifier.text === module
      ) {
        const moduleSymbol = this.checker.getSymbolAtLocation(statement.moduleSpecifier);
        if (moduleSymbol)
          for (const symbol of this.checker.getExportsOfModule(moduleSymbol))
            names.add(symbol.name);
      }
    }
    return names;
  }

  /** Follows import/export aliases to a local declaration or to the first import of another module. */
  private resolveSymbol(start: ts.Symbol): Resolution {
    let symbol = start;
    for (let depth = 0; depth < 100; depth += 1) {
      if (!(symbol.flags & ts.SymbolFlags.Alias)) break;
      const declaration = symbol.declarations?.[0];
      if (declaration) {
        const specifier = moduleSpecifierOf(declaration);
        if (specifier !== undefined && !isRelativeSpecifier(specifier)) {
          return { kind: "external", module: specifier, imported: importedNameOf(declaration) };
        }
        if (ts.isNamespaceImport(declaration) || ts.isNamespaceExport(declaration)) {
          return { kind: "local", symbol };
        }
      }
      const next = this.checker.getImmediateAliasedSymbol(symbol);
      if (!next) return SKIP;
      symbol = next;
    }
    const declarations = symbol.declarations ?? [];
    const local = declarations.filter((declaration) =>
      this.isLocalFile(declaration.getSourceFile().fileName),
    );
    if (local.length === 0) return SKIP;
    const statement = topLevelStatement(local[0]!);
    if (!statement) return SKIP;
    const isTopLevel =
      (statement as ts.Node) === local[0] ||
      (ts.isVariableStatement(statement) && ts.isVariableDeclaration(local[0]!)) ||
      ts.isExportAssignment(local[0]!);
    return isTopLevel ? { kind: "local", symbol } : SKIP;
  }

  private claimLocal(symbol: ts.Symbol, name: string): string {
    this.usedNames.add(name);
    this.localNames.set(symbol, name);
    this.pending.push(symbol);
    return name;
  }

  private uniqueName(preferred: string): string {
    const base = preferred === "default" || preferred === "export=" ? "_default" : preferred;
    let name = base;
    for (let index = 1; this.usedNames.has(name); index += 1) name = `${base}_${index}`;
    return name;
  }

  private localName(symbol: ts.Symbol): string {
    const existing = this.localNames.get(symbol);
    if (existing) return existing;
    return this.claimLocal(symbol, this.uniqueName(declaredName(symbol)));
  }

  private externalName(module: string, imported: string, preferredLocal: string): string {
    const key = `${module}\0${imported}`;
    const existing = this.externals.get(key);
    if (existing) return existing.localName;
    const preferred = imported === "*" || imported === "default" ? preferredLocal : imported;
    const localName = this.uniqueName(preferred);
    this.usedNames.add(localName);
    this.externals.set(key, { module, imported, localName });
    return localName;
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const symbol = this.pending.shift()!;
      const first = symbol.declarations?.[0];
      if (first && isNamespaceAlias(symbol)) {
        this.chunks.push(
          this.renderNamespace(symbol, first as ts.NamespaceImport | ts.NamespaceExport),
        );
        continue;
      }
      if (this.namespaceMembers.has(symbol)) continue;
      for (const declaration of symbol.declarations ?? []) {
        if (!this.isLocalFile(declaration.getSourceFile().fileName)) continue;
        const statement = topLevelStatement(declaration);
        if (!statement || this.emitted.has(statement)) continue;
        this.emitted.add(statement);
        if (ts.isExportAssignment(statement)) {
          // `export default X;` only names X; X itself is reached through the alias.
          continue;
        }
        this.chunks.push(this.render(statement, symbol));
      }
    }
  }

  /** `export * as ns from "./x.js"` becomes a namespace holding the module's declarations. */
  private renderNamespace(
    symbol: ts.Symbol,
    declaration: ts.NamespaceImport | ts.NamespaceExport,
  ): string {
    const body: string[] = [];
    const seen = new Set<ts.Statement>();
    for (const member of this.checker.getExportsOfModule(this.checker.getAliasedSymbol(symbol))) {
      const target = this.resolveSymbol(member);
      if (target.kind === "external") {
        body.push(
          `  export import ${member.name} = ${this.externalName(target.module, target.imported, member.name)};`,
        );
        continue;
      }
      if (target.kind === "skip" || this.namespaceMembers.get(target.symbol) !== member.name) {
        throw new UnsupportedConstructError(
          location(declaration),
          `namespace member "${member.name}" is declared elsewhere; export it from the namespace's own module`,
        );
      }
      for (const memberDeclaration of target.symbol.declarations ?? []) {
        const statement = topLevelStatement(memberDeclaration);
        if (!statement || seen.has(statement)) continue;
        seen.add(statement);
        body.push(this.render(statement, target.symbol, member.name).replace(/^/gm, "  "));
      }
    }
    return `declare namespace ${this.localName(symbol)} {\n${body.join("\n")}\n}`;
  }

  private aliasMember(qualifiedName: string, preferred: string): string {
    const alias = this.uniqueName(preferred);
    this.usedNames.add(alias);
    this.memberAliases.push(`import ${alias} = ${qualifiedName};`);
    return alias;
  }

  /**
   * The statement's text with `export`/`default` removed (or, inside a namespace, `export` kept and
   * `declare` removed), `declare` added where a .d.ts needs it, and every reference renamed.
   */
  private render(statement: ts.Statement, symbol: ts.Symbol, memberName?: string): string {
    const file = statement.getSourceFile();
    const replacements: Replacement[] = [];
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    const removeModifier = (modifier: ts.Node, text: string): void => {
      let end = modifier.getEnd();
      while (/\s/.test(file.text[end] ?? "")) end += 1;
      replacements.push({ start: modifier.getStart(), end, text });
    };
    if (memberName === undefined) {
      const hasDeclare = modifiers.some(
        (modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword,
      );
      let declarePlaced = hasDeclare || !NEEDS_DECLARE.has(statement.kind);
      for (const modifier of modifiers) {
        if (
          modifier.kind !== ts.SyntaxKind.ExportKeyword &&
          modifier.kind !== ts.SyntaxKind.DefaultKeyword
        )
          continue;
        removeModifier(modifier, declarePlaced ? "" : "declare ");
        declarePlaced = true;
      }
      if (!declarePlaced)
        replacements.push({
          start: statement.getStart(),
          end: statement.getStart(),
          text: "declare ",
        });
    } else {
      // Inside `declare namespace` the context is already ambient: `declare` is an error there.
      for (const modifier of modifiers) {
        if (
          modifier.kind === ts.SyntaxKind.DeclareKeyword ||
          modifier.kind === ts.SyntaxKind.DefaultKeyword
        ) {
          removeModifier(modifier, "");
        }
      }
    }

    const named = statement as ts.Statement & { name?: ts.Node };
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      named.name === undefined
    ) {
      const keyword = statement
        .getChildren(file)
        .find(
          (child) =>
            child.kind === ts.SyntaxKind.FunctionKeyword ||
            child.kind === ts.SyntaxKind.ClassKeyword,
        );
      if (!keyword)
        throw new UnsupportedConstructError(location(statement), "anonymous declaration");
      let end = keyword.getEnd();
      while (/\s/.test(file.text[end] ?? "")) end += 1;
      replacements.push({
        start: keyword.getEnd(),
        end,
        text: ` ${memberName ?? this.localName(symbol)}`,
      });
    }

    const ownNames = new Set<ts.Node>();
    if (memberName !== undefined) {
      for (const declaration of symbol.declarations ?? []) {
        const name = (declaration as ts.Declaration & { name?: ts.Node }).name;
        if (name) ownNames.add(name);
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isImportTypeNode(node)) {
        this.renameImportType(node, replacements);
        return;
      }
      if (ts.isIdentifier(node)) {
        if (!ownNames.has(node)) this.renameIdentifier(node, replacements);
        return;
      }
      if (ts.isQualifiedName(node)) {
        visit(node.left);
        return;
      }
      if (ts.isPropertyAccessExpression(node)) {
        visit(node.expression);
        return;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(statement, visit);

    const base = statement.getFullStart();
    let text = file.text.slice(base, statement.getEnd());
    for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
      text =
        text.slice(0, replacement.start - base) +
        replacement.text +
        text.slice(replacement.end - base);
    }
    return text.replace(/^\s*\n/, "").trimEnd();
  }

  private renameIdentifier(identifier: ts.Identifier, replacements: Replacement[]): void {
    const symbol = this.checker.getSymbolAtLocation(identifier);
    if (!symbol) return;
    const target = this.resolveSymbol(symbol);
    let name: string;
    if (target.kind === "local") {
      name = this.localName(target.symbol);
    } else if (target.kind === "external") {
      name = this.externalName(target.module, target.imported, identifier.text);
    } else {
      return;
    }
    if (name !== identifier.text) {
      replacements.push({ start: identifier.getStart(), end: identifier.getEnd(), text: name });
    }
  }

  private renameImportType(node: ts.ImportTypeNode, replacements: Replacement[]): void {
    const argument = node.argument;
    const specifier =
      ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)
        ? argument.literal.text
        : undefined;
    if (specifier === undefined || !isRelativeSpecifier(specifier)) {
      for (const typeArgument of node.typeArguments ?? []) {
        ts.forEachChild(typeArgument, (child) => {
          if (ts.isIdentifier(child)) this.renameIdentifier(child, replacements);
        });
      }
      return;
    }
    const qualifier = node.qualifier;
    if (!qualifier) {
      throw new UnsupportedConstructError(
        location(node),
        `import("${specifier}") of a whole local module`,
      );
    }
    const rightmost = ts.isIdentifier(qualifier) ? qualifier : qualifier.right;
    const symbol = this.checker.getSymbolAtLocation(rightmost);
    const target = symbol ? this.resolveSymbol(symbol) : SKIP;
    if (target.kind === "skip") {
      throw new UnsupportedConstructError(location(node), `cannot resolve import("${specifier}")`);
    }
    const name =
      target.kind === "local"
        ? this.localName(target.symbol)
        : this.externalName(target.module, target.imported, rightmost.text);
    replacements.push({
      start: node.getStart(),
      end: qualifier.getEnd(),
      text: node.isTypeOf ? `typeof ${name}` : name,
    });
    for (const typeArgument of node.typeArguments ?? []) {
      const visitArgument = (child: ts.Node): void => {
        if (ts.isIdentifier(child)) this.renameIdentifier(child, replacements);
        else ts.forEachChild(child, visitArgument);
      };
      visitArgument(typeArgument);
    }
  }
}

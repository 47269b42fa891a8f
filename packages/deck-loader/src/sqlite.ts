import initSqlJs, { type SqlJsStatic } from "sql.js";

let engine: Promise<SqlJsStatic> | undefined;

/** The SQLite engine (WebAssembly), loaded once on first use. */
export function sqlite(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

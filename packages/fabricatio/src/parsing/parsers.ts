import { CodeBlockParser, GenericBlockParser } from "./block-parsers.js";
import { CodeSnippetParser } from "./code-snippet.js";
import { JsonParser } from "./json-parser.js";

/** The first ```json block, repaired and validated (the original's `json_parser`). */
export const jsonParser = JsonParser.captureJsonCodeblock();
/** ```python blocks (the original's `python_parser`). */
export const pythonParser = CodeBlockParser.capturePython();
/** `--- Start of String ---` blocks (the original's `generic_parser`). */
export const genericParser = GenericBlockParser.captureGenericString();
/** `>>>>>`/`<<<<<` code snippets (the original's `snippet_parser`). */
export const snippetParser = CodeSnippetParser.withSeparators();

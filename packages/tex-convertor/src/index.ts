export type { ConvertOptions } from "./convert.js";
export { convertAllTexMath, convertTexMath } from "./convert.js";
export { isTexConvertorError, TexConversionError, TexConvertorError } from "./errors.js";
export type { Segment } from "./find-tex-math.js";
export { findTexMath } from "./find-tex-math.js";

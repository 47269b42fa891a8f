// Writes fabricatio.schema.json from the built package, so the shipped file always matches the code.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../dist/index.js";

writeFileSync(
  new URL("../fabricatio.schema.json", import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);

import { describe, expect, it } from "vitest";
import { InvalidFieldNameError } from "./errors/invalid-field-name-error.js";
import { fieldNameProblem, validateFieldNames } from "./field-names.js";

describe("field names, as Anki's editor checks them", () => {
  it.each([
    ["Front", undefined],
    ["Back Extra", undefined],
    ["Wort (Deutsch)", undefined],
    ["", "it is empty"],
    [" Front", "it starts or ends with white space"],
    ["a:b", 'it contains ":"'],
    ['say "hi"', 'it contains "\\""'],
    ["{x}", 'it contains "{"'],
    ["/x", 'it starts with "/"'],
    ["^x", 'it starts with "^"'],
    ["FrontSide", "it is Anki's special field {{FrontSide}}"],
    ["tab\there", "it contains a control character"],
  ])("judges %j: %s", (name, problem) => {
    expect(fieldNameProblem(name)).toBe(problem);
  });

  it("refuses names equal but for case, naming every problem at once", () => {
    const error = (() => {
      try {
        validateFieldNames("fields.yaml", ["Front", "front", "a:b"]);
      } catch (caught) {
        return caught as InvalidFieldNameError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidFieldNameError);
    expect(error?.message).toBe(
      'fields.yaml: field name "front" is not valid in Anki: it repeats "Front" (case is ignored); "a:b": it contains ":"',
    );
  });
});

// Expectations from Anki's rslib/src/template.rs (`field_empty`) and text.rs behaviour.
import { describe, expect, it } from "vitest";
import { decodeEntities } from "./decode-entities.js";
import { fieldIsEmpty, stripHtml, stripHtmlTags } from "./strip-html.js";

describe("fieldIsEmpty", () => {
  it.each([
    ["", true],
    [" ", true],
    ["x", false],
    ["<BR>", true],
    ["<div />", true],
    [" <div> <br> </div>\n", true],
    [" <div>x</div>\n", false],
    ["\u00a0", false],
  ])("says %j is empty: %s", (text, expected) => {
    expect(fieldIsEmpty(text)).toBe(expected);
  });
});

describe("stripHtml (Anki's strip_html_preserving_media_filenames)", () => {
  it("keeps media file names between spaces and does not trim", () => {
    expect(stripHtml("<img src=foo.jpg>")).toBe(" foo.jpg ");
    expect(stripHtml('a<img class="x" src="b.png">c')).toBe("a b.png c");
    expect(stripHtml("<audio src='s.mp3'></audio>")).toBe(" s.mp3 ");
  });

  it("removes comments, styles and scripts with their content", () => {
    expect(stripHtmlTags("a<!-- c --><style>p{}</style><script>x()</script><b>b</b>")).toBe("ab");
  });
});

describe("decodeEntities (Anki's strict decoder)", () => {
  it("decodes named and numeric references, and non-breaking spaces to spaces", () => {
    expect(decodeEntities("&lt;b&gt; &amp; &#233;&#x41;&nbsp;&eacute;")).toBe("<b> & éA é");
  });

  it("leaves the whole text alone when one ampersand is not a reference", () => {
    expect(decodeEntities("AT&T &amp; more")).toBe("AT&T &amp; more");
    expect(decodeEntities("&bogus; &amp;")).toBe("&bogus; &amp;");
  });
});

import { decodeEntities } from "./decode-entities.js";

// Anki's `HTML` pattern: comments, style and script elements with their content, then any tag.
const HTML =
  /<!--[\s\S]*?-->|<style[\s\S]*?>[\s\S]*?<\/style>|<script[\s\S]*?>[\s\S]*?<\/script>|<[\s\S]*?>/gi;

// Anki's `HTML_MEDIA_TAGS`: the file name of an img/audio/video/object/source tag's src or data.
const HTML_MEDIA_TAGS =
  /<\b(?:img|audio|video|object|source)\b(?:[^>]|"[^"]+?"|'[^']+?')+?\b(?:src|data)\b=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))/gi;

/** Anki's `strip_html`: tags, comments, styles and scripts removed, entities decoded; no trimming. */
export function stripHtmlTags(html: string): string {
  return decodeEntities(html.replace(HTML, ""));
}

/**
 * Anki's `strip_html_preserving_media_filenames`, which gives a note's sort field and checksum:
 * each media tag becomes its file name between spaces, every other tag goes, entities are
 * decoded. Nothing is trimmed.
 */
export function stripHtml(html: string): string {
  return stripHtmlTags(
    html.replace(
      HTML_MEDIA_TAGS,
      (_, double?: string, single?: string, bare?: string) =>
        ` ${double ?? ""}${single ?? ""}${bare ?? ""} `,
    ),
  );
}

/** Anki's `field_is_empty`: only ASCII white space and empty `<br>` / `<div>` tags. */
export function fieldIsEmpty(text: string): boolean {
  return /^(?:[\t\n\v\f\r ]|<\/?(?:br|div) ?\/?>)*$/i.test(text);
}

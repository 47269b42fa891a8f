/** The 16 languages of the original's `lang` helper, by their native names. */
export const LANGUAGE_NAMES = {
  ara: "العربية",
  cmn: "简体中文",
  deu: "Deutsch",
  eng: "English",
  fra: "Français",
  hin: "हिन्दी",
  ita: "Italiano",
  jpn: "日本語",
  kor: "한국어",
  nld: "Nederlands",
  por: "Português",
  rus: "Русский",
  spa: "Español",
  swe: "Svenska",
  tur: "Türkçe",
  vie: "Tiếng Việt",
} as const;

type Latin = "eng" | "deu" | "fra" | "ita" | "nld" | "por" | "spa" | "swe" | "tur" | "vie";

// Frequent words (and greetings) per Latin-script language; a word may count for several.
const WORDS: Readonly<Record<Latin, readonly string[]>> = {
  eng: "the and of to is in that it for you was with on are be this have not but what hello happy please thanks".split(
    " ",
  ),
  deu: "der die das und ist nicht ein eine ich zu mit sie es den von dem auf für hallo danke bitte wie".split(
    " ",
  ),
  fra: "le la les et est un une des du de je vous il pas que qui dans pour bonjour merci avec sur ce".split(
    " ",
  ),
  ita: "il lo la gli le e di che è un una per non sono con ciao grazie questo della anche".split(
    " ",
  ),
  nld: "de het een en van is dat niet ik je zijn op te met voor hallo dank wel maar ook".split(" "),
  por: "o a os as e de do da que é um uma não para com em olá obrigado você muito isso".split(" "),
  spa: "el la los las y de que es un una no para con en por hola gracias usted muy pero".split(" "),
  swe: "och att det är en ett jag som på för med inte har hej tack du vi av till".split(" "),
  tur: "ve bir bu da de için ile ne çok ben sen merhaba teşekkür evet değil var gibi".split(" "),
  vie: "và của là có không một những người cho này được xin chào cảm ơn tôi bạn".split(" "),
};

// Letters that point at one language (or a few) among the Latin-script ones.
const LETTERS: readonly [RegExp, readonly Latin[]][] = [
  [/[ăđơư\u1ea0-\u1ef9]/g, ["vie"]],
  [/[ğışİ]/g, ["tur"]],
  [/[ñ¡¿]/g, ["spa"]],
  [/[ãõ]/g, ["por"]],
  [/ß/g, ["deu"]],
  [/å/g, ["swe"]],
  [/[äö]/g, ["deu", "swe"]],
  [/ü/g, ["deu", "tur"]],
  [/[œèëîûù]/g, ["fra"]],
  [/ç/g, ["fra", "por", "tur"]],
  [/[ìò]/g, ["ita"]],
  [/ij/g, ["nld"]],
];

const SCRIPTS: readonly [RegExp, keyof typeof LANGUAGE_NAMES][] = [
  [/[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/gu, "kor"],
  [/[\u3040-\u30ff\uff66-\uff9f]/gu, "jpn"],
  [/[\u4e00-\u9fff\u3400-\u4dbf]/gu, "cmn"],
  [/[\u0600-\u06ff\u0750-\u077f]/gu, "ara"],
  [/[\u0900-\u097f]/gu, "hin"],
  [/[\u0400-\u04ff]/gu, "rus"],
];

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * The native name of the language `text` is written in, among the 16 the original's `lang` helper
 * knows, English when nothing points elsewhere (as the original for an empty text). Non-Latin
 * scripts decide first (any kana makes Japanese, Han alone Chinese); Latin-script text is scored
 * by language-specific letters and frequent words.
 */
export function detectLanguage(text: string): string {
  const lower = text.toLowerCase();
  const letters = count(lower, /\p{L}/gu);
  let best: keyof typeof LANGUAGE_NAMES | undefined;
  let bestCount = 0;
  for (const [pattern, language] of SCRIPTS) {
    const found = count(lower, pattern);
    // Kana mixed with Han is Japanese, however few kana there are.
    const weight =
      language === "jpn" && found > 0 ? found + count(lower, /[\u4e00-\u9fff]/gu) : found;
    if (weight > bestCount) {
      best = language;
      bestCount = weight;
    }
  }
  if (best && bestCount * 2 >= letters) return LANGUAGE_NAMES[best];

  const scores = new Map<Latin, number>();
  const add = (language: Latin, points: number) =>
    scores.set(language, (scores.get(language) ?? 0) + points);
  for (const [pattern, languages] of LETTERS) {
    const found = count(lower, pattern);
    if (found > 0) for (const language of languages) add(language, (found * 2) / languages.length);
  }
  const words = lower.match(/\p{L}+/gu) ?? [];
  for (const [language, list] of Object.entries(WORDS) as [Latin, readonly string[]][]) {
    const hits = words.filter((word) => list.includes(word)).length;
    if (hits > 0) add(language, hits);
  }
  let winner: Latin = "eng";
  let winnerScore = 0;
  for (const [language, score] of scores) {
    if (score > winnerScore) {
      winner = language;
      winnerScore = score;
    }
  }
  return LANGUAGE_NAMES[winner];
}

import type { CheckReport } from "./check-readmes.js";

/** The report as text, one line per block and the failures under it, and whether any failed. */
export function formatReport(report: CheckReport): { text: string; failed: boolean } {
  const lines: string[] = [];
  let failedBlocks = 0;
  let checkedBlocks = 0;
  for (const error of report.globalErrors) lines.push(`error of the check itself: ${error}`);
  for (const { block, action, failures } of report.blocks) {
    if (action === "none" && failures.length === 0) continue;
    checkedBlocks += 1;
    if (failures.length === 0) {
      lines.push(`ok    ${block.file}:${block.line} (${block.language}, ${action})`);
      continue;
    }
    failedBlocks += 1;
    lines.push(`FAIL  ${block.file}:${block.line} (${block.language}, ${action})`);
    for (const failure of failures) {
      const [first, ...rest] = failure.message.split("\n");
      lines.push(`      ${failure.kind} at line ${failure.line}: ${first}`);
      for (const line of rest) lines.push(`        ${line}`);
    }
  }
  lines.push(`${checkedBlocks} blocks checked, ${failedBlocks} failed`);
  return {
    text: `${lines.join("\n")}\n`,
    failed: failedBlocks > 0 || report.globalErrors.length > 0,
  };
}

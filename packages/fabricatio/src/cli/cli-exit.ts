/** Ends a CLI run with a given exit code after the command has reported its own error. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

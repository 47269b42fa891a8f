/** A program the tests need is not installed and could not be installed here; `command` installs it. */
export class MissingServiceError extends Error {
  readonly code = "TEST_SERVICES_MISSING";
  /** The program that was looked for on PATH, e.g. `redis-server`. */
  readonly program: string;
  /** The exact shell command that installs it on this machine. */
  readonly command: string;

  constructor(program: string, command: string, reason: string, options?: ErrorOptions) {
    super(`${program} is not on PATH and ${reason}. Install it with:\n  ${command}`, options);
    this.name = "MissingServiceError";
    this.program = program;
    this.command = command;
  }
}

import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { CommandNotFoundError } from "./errors.js";

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute path of `command`: itself when it contains a path separator, else the first
 * executable match on `PATH` (with `PATHEXT` extensions on Windows).
 * @throws {CommandNotFoundError} naming the command and where it looked
 */
export function resolveCommand(
  command: string,
  {
    env = process.env,
    cwd = process.cwd(),
    platform = process.platform,
  }: {
    env?: Readonly<Record<string, string | undefined>>;
    cwd?: string;
    platform?: NodeJS.Platform;
  } = {},
): string {
  const extensions =
    platform === "win32" ? ["", ...(env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";")] : [""];
  if (command.includes("/") || (platform === "win32" && command.includes("\\"))) {
    const absolute = path.resolve(cwd, command);
    for (const extension of extensions)
      if (isExecutableFile(absolute + extension)) return absolute + extension;
    throw new CommandNotFoundError(command, [absolute]);
  }
  const directories = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = path.join(directory, command + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new CommandNotFoundError(command, directories);
}

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import winston from "winston";
import { getLogger, setRootLogger } from "./logger.js";

describe("getLogger", () => {
  it("tags lines with the source and skips disabled levels without building the message", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    setRootLogger(
      winston.createLogger({
        levels: { critical: 0, error: 1, warn: 2, success: 3, info: 4, debug: 5, trace: 6 },
        level: "info",
        format: winston.format.printf((info) => `${String(info.source)} ${String(info.message)}`),
        transports: [new winston.transports.Stream({ stream: sink })],
      }),
    );
    const logger = getLogger("test:area");
    let built = false;
    logger.debug(() => {
      built = true;
      return "hidden";
    });
    logger.info("shown");
    expect(built).toBe(false);
    expect(lines.join("")).toBe("test:area shown\n");
  });
});

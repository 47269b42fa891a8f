import { describe, expect, it } from "vitest";
import { cacheDir, globalConfigFile, roamingDir, templatesDir } from "./paths.js";

describe("roamingDir", () => {
  it("uses XDG_CONFIG_HOME on Linux when it is absolute", () => {
    const options = {
      platform: "linux",
      env: { XDG_CONFIG_HOME: "/xdg" },
      homeDir: "/home/a",
    } as const;
    expect(roamingDir(options)).toBe("/xdg/fabricatio");
  });

  it("falls back to ~/.config on Linux when XDG_CONFIG_HOME is unset, empty or relative", () => {
    for (const env of [{}, { XDG_CONFIG_HOME: "" }, { XDG_CONFIG_HOME: "rel/dir" }]) {
      expect(roamingDir({ platform: "linux", env, homeDir: "/home/a" })).toBe(
        "/home/a/.config/fabricatio",
      );
    }
  });

  it("uses Application Support on macOS and ignores XDG variables there", () => {
    const options = {
      platform: "darwin",
      env: { XDG_CONFIG_HOME: "/xdg" },
      homeDir: "/Users/A",
    } as const;
    expect(roamingDir(options)).toBe("/Users/A/Library/Application Support/fabricatio");
  });

  it("uses %APPDATA% on Windows with backslashes", () => {
    const options = {
      platform: "win32",
      env: { APPDATA: "C:\\Users\\A\\AppData\\Roaming" },
      homeDir: "C:\\Users\\A",
    } as const;
    expect(roamingDir(options)).toBe("C:\\Users\\A\\AppData\\Roaming\\fabricatio");
  });

  it("derives the roaming directory from the home directory on Windows without APPDATA", () => {
    expect(roamingDir({ platform: "win32", env: {}, homeDir: "C:\\Users\\A" })).toBe(
      "C:\\Users\\A\\AppData\\Roaming\\fabricatio",
    );
  });

  it("reads the environment it is given on every call, keeping nothing from an earlier one", () => {
    const env: Record<string, string> = { XDG_CONFIG_HOME: "/first" };
    expect(roamingDir({ platform: "linux", env, homeDir: "/h" })).toBe("/first/fabricatio");
    env.XDG_CONFIG_HOME = "/second";
    expect(roamingDir({ platform: "linux", env, homeDir: "/h" })).toBe("/second/fabricatio");
  });
});

describe("cacheDir", () => {
  it.each([
    ["linux", { XDG_CACHE_HOME: "/c" }, "/h", "/c/fabricatio"],
    ["linux", {}, "/h", "/h/.cache/fabricatio"],
    ["darwin", {}, "/Users/A", "/Users/A/Library/Caches/fabricatio"],
    ["win32", { LOCALAPPDATA: "C:\\L" }, "C:\\Users\\A", "C:\\L\\fabricatio"],
    ["win32", {}, "C:\\Users\\A", "C:\\Users\\A\\AppData\\Local\\fabricatio"],
  ] as const)("on %s with %o resolves under %s to %s", (platform, env, homeDir, expected) => {
    expect(cacheDir({ platform, env, homeDir })).toBe(expected);
  });
});

describe("templatesDir and globalConfigFile", () => {
  it("sit inside the roaming directory on every platform", () => {
    expect(templatesDir({ platform: "linux", env: {}, homeDir: "/h" })).toBe(
      "/h/.config/fabricatio/templates",
    );
    expect(globalConfigFile({ platform: "darwin", env: {}, homeDir: "/U" })).toBe(
      "/U/Library/Application Support/fabricatio/fabricatio.toml",
    );
    expect(
      globalConfigFile({ platform: "win32", env: { APPDATA: "D:\\R" }, homeDir: "C:\\" }),
    ).toBe("D:\\R\\fabricatio\\fabricatio.toml");
  });

  it("defaults to the running process's platform and environment", () => {
    expect(globalConfigFile()).toBe(
      `${roamingDir()}${process.platform === "win32" ? "\\" : "/"}fabricatio.toml`,
    );
  });
});

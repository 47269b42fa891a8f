// Preloaded into every timed process (NODE_OPTIONS=--require): writes the process's own CPU time
// (user + system, µs) to file descriptor 3 on exit, which the benchmark reads.
const { writeSync } = require("node:fs");

process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, String(user + system));
});

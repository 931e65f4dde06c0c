/**
 * Preloaded (node --import) into the web server that `npm start` runs in a process group of its
 * own: if `npm start` disappears without stopping it (killed with SIGKILL), the server stops too,
 * instead of running on unseen and holding database connections.
 */
const parentPid = process.ppid;

const watch = setInterval(() => {
  if (process.ppid === parentPid) return;
  clearInterval(watch);
  process.kill(process.pid, "SIGTERM"); // the server's own graceful shutdown
  setTimeout(() => process.exit(1), 10_000).unref();
}, 1000).unref();

// The suite's servers log one JSON line per request at `info`; tests keep stdout for warnings and errors
// (test/observability sets its own level and captures the lines it checks).
process.env.LOG_LEVEL ??= 'warn';

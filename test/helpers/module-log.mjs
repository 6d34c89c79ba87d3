// Preloaded with `--import` (NODE_OPTIONS): prints every module a process loads whose URL says
// `opentelemetry` or `otel-`, so that a test can tell whether the OpenTelemetry SDK was loaded.
import { registerHooks } from 'node:module';

registerHooks({
  load(url, context, nextLoad) {
    if (/opentelemetry|\/otel-/.test(url)) process.stderr.write(`module loaded: ${url}\n`);
    return nextLoad(url, context);
  },
});

/**
 * One full garbage collection, once the feature store is ready. Loading or building it leaves ~100 MB
 * of short-lived buffers (decoded columns, parsed string lists, source rows) that V8 would collect
 * only when the old generation next grows past its limit; an idle server may never get there, so that
 * memory would stay in its RSS. Uses the process's `gc` when started with --expose-gc, otherwise
 * V8's own (the --expose-gc flag set at run time makes `gc` appear in a context created after it).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null = null;

export function compactHeap(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    }
  }
  collect();
}

import * as tf from '@tensorflow/tfjs';
import { FromWorker, ToWorker } from '../core/protocol';
import { TrainingSession } from '../runtime/session';
import { describeBackend, selectBackend, setWasmThreads, usableBackends, useBackend } from './backends';
import { loadBrowserData } from './data';

// The worker owns TF.js; the page only sends and receives validated messages.
const scope = self as unknown as DedicatedWorkerGlobalScope;

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

const session = new TrainingSession({
  tf,
  selectBackend,
  usableBackends,
  useBackend,
  describeBackend,
  loadData: loadBrowserData,
  post: (msg, transfer) => {
    if (import.meta.env.DEV) FromWorker.parse(msg);
    scope.postMessage(msg, transfer ?? []);
  },
  yieldToEvents,
  now: () => performance.now(),
});

scope.onmessage = (e: MessageEvent) => {
  const parsed = ToWorker.safeParse(e.data);
  if (!parsed.success) {
    scope.postMessage({ type: 'error', message: `bad message to the worker: ${parsed.error.message}` });
    return;
  }
  // Threads must be set before the wasm backend first starts, which the init message leads to.
  if (parsed.data.type === 'init') setWasmThreads(parsed.data.threads);
  void session.handle(parsed.data);
};

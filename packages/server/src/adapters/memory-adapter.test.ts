import { describeAdapterConformance } from './adapter-conformance.js';
import { MemoryAdapter } from './memory-adapter.js';

describeAdapterConformance('MemoryAdapter', ({ clock, delivery }) => {
  const adapter = new MemoryAdapter(clock);
  adapter.init(delivery);
  return Promise.resolve({ adapter, dispose: () => Promise.resolve(adapter.close()) });
});

// The list of emulated backends served on the one port; each area adds its factory here.
import type { BackendFactory } from './context';
import { registerDatahub } from './datahub/register';
import { registerIngest } from './ingest/register';

export const backendFactories: { name: string; factory: BackendFactory }[] = [
  { name: 'datahub', factory: registerDatahub },
  { name: 'ingest', factory: registerIngest },
];

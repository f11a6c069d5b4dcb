// The list of emulated backends served on the one port; each area adds its factory here.
import type { BackendFactory } from './context';
import { registerDatahub } from './datahub/register';
import { registerMultipart } from './multipart/register';
import { registerIngest } from './ingest/register';
import { registerMedia } from './media/register';
import { registerKubo } from './kubo/register';
import { registerPandora } from './pandora/register';

export const backendFactories: { name: string; factory: BackendFactory }[] = [
  { name: 'datahub', factory: registerDatahub },
  { name: 'multipart', factory: registerMultipart },
  { name: 'ingest', factory: registerIngest },
  { name: 'media', factory: registerMedia },
  { name: 'kubo', factory: registerKubo },
  { name: 'pandora', factory: registerPandora },
];

// Wires the setup commands: credentials, the local emulator, the log.
import { setCredentials } from '../commands/setup/setCredentials';
import { useLocalEmulator } from '../commands/setup/useLocalEmulator';
import type { CoreServices } from '../platform/core';

export function activateSetupArea(core: Pick<CoreServices, 'commands' | 'credentials' | 'settings' | 'channel' | 'prompts'>): void {
  core.commands.register('datahub.setCredentials', () => setCredentials(core));
  core.commands.register('datahub.useLocalEmulator', () => useLocalEmulator(core));
  core.commands.register('datahub.showLog', () => core.channel.show(true));
}

// Wires the setup commands: credentials, local emulator, log.
import { registerSetupCommands } from '../commands/setup';
import type { CoreServices } from '../platform/core';

export function activateSetupArea(core: CoreServices): void {
  registerSetupCommands({ commands: core.commands, credentials: core.credentials, settings: core.settings, channel: core.channel });
}

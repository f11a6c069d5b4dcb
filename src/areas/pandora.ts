// Wires the pandora area (its clients, views and commands) into the extension.
import type { CoreServices } from '../platform/core';

export function activatePandoraArea(_core: CoreServices): void {
  // The pandora views show their viewsWelcome text until this area lands.
}

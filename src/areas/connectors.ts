// Wires the connectors area (its clients, views and commands) into the extension.
import type { CoreServices } from '../platform/core';

export function activateConnectorsArea(_core: CoreServices): void {
  // The connectors views show their viewsWelcome text until this area lands.
}

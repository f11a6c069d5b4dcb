// Wires the media area (its clients, views and commands) into the extension.
import type { CoreServices } from '../platform/core';

export function activateMediaArea(_core: CoreServices): void {
  // The media views show their viewsWelcome text until this area lands.
}

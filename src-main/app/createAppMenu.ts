/** A minimal application menu built only from Electron's default roles. */
import { Menu, type MenuItemConstructorOptions } from "electron";

export function createAppMenu(platform: NodeJS.Platform, isPackaged: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(platform === "darwin" ? [{ role: "appMenu" } as const] : []),
    { role: "fileMenu" },
    { role: "editMenu" },
    isPackaged
      ? { label: "View", submenu: [{ role: "resetZoom" }, { role: "zoomIn" }, { role: "zoomOut" }, { type: "separator" }, { role: "togglefullscreen" }] }
      : { role: "viewMenu" },
    { role: "windowMenu" },
  ];
  return Menu.buildFromTemplate(template);
}

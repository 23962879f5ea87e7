"""QtGui's Qt plugins for the release, less those an office desktop never loads.

Replaces PyInstaller's own hook of the same name (hooks given by the spec come first): the
same collection, then the embedded-device platforms (EGLFS, linuxfb, VNC, Vulkan display)
and their input plugins, and the GTK 3 theme (which would pull half of GTK's libraries
from the build machine) are left out. The program runs on X11 (xcb), Wayland, Windows,
and offscreen (the self-check on a machine without a display).
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

#: Plugin folders left out whole, and single plugins (by file name without "lib" and suffix).
DROPPED_FOLDERS = {"egldeviceintegrations", "generic"}
DROPPED_PLUGINS = {"qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl", "qgtk3"}


def wanted(entry) -> bool:
    src = PurePath(entry[0])
    if src.parent.parent.name != "plugins":
        return True
    name = src.stem.removeprefix("lib")
    return src.parent.name not in DROPPED_FOLDERS and name not in DROPPED_PLUGINS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if wanted(entry)]

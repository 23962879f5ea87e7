"""The QApplication every desktop entry point starts from: names, locale, translations, font.

Kept apart from the main window so that the window, tests and tools all get the same
application: Thai first (DESIGN.md §7), with the bundled Sarabun font.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app.paths import resource
from ui.fonts import apply_default_font

log = logging.getLogger(__name__)

ORGANIZATION_NAME = "LocalHR"
APPLICATION_NAME = "LocalHR Desk"
#: Thai first; English is the fallback language of the source strings.
DEFAULT_LANGUAGE = "th"


def create_application(argv: Sequence[str], language: str = DEFAULT_LANGUAGE) -> QApplication:
    """Create (or, in tests, reuse) the QApplication and set it up for LocalHR Desk.

    ``language`` is ``"th"`` or ``"en"``: it picks the locale used for numbers and the
    translations loaded; the strings in the source are English.
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv))
    elif not isinstance(app, QApplication):
        raise RuntimeError("a QCoreApplication already exists; the desktop needs QApplication")
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setDesktopFileName("localhr")
    app.setWindowIcon(QIcon(str(resource("icons", "localhr.svg"))))  # title bars, task bar
    set_language(app, language)
    apply_default_font(app)
    return app


def set_language(app: QCoreApplication, language: str) -> None:
    """Use ``language`` (``"th"`` or ``"en"``) from now on: the default locale and the
    translations. Called again, it replaces the translators it installed before; every
    widget then gets a ``LanguageChange`` event and those that retranslate themselves do."""
    for translator in app.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    locale = QLocale(QLocale.Language.Thai, QLocale.Country.Thailand)
    if language != "th":
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    install_translations(app, language)


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load our own ``.qm`` and Qt's for ``language``, where they exist: Qt ships none in
    Thai, so ``qt_th`` (ours) has Thai for the strings of Qt itself the program shows
    (standard buttons, a text field's context menu).

    The translators are parented to the app, which keeps them alive as long as it lives.
    """
    installed: list[QTranslator] = []
    candidates = [
        (f"localhr_{language}", str(resource("translations"))),
        (f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (f"qt_{language}", str(resource("translations"))),
    ]
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
            log.debug("no translation %s in %s", name, folder)
    return installed

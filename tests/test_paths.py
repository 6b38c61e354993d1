"""One data directory for everything the kit writes, moved by ALLIANCE_KIT_DATA_DIR."""

from __future__ import annotations

import stat

from alliance_kit import paths


def test_data_dir_follows_environment_and_is_private(data_dir):
    assert not data_dir.exists()
    got = paths.data_dir()
    assert got == data_dir
    assert got.is_dir()
    assert stat.S_IMODE(got.stat().st_mode) == 0o700


def test_default_data_dir_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv("ALLIANCE_KIT_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir(create=False) == tmp_path / "xdg" / "alliance-kit"


def test_content_folders_are_found():
    root = paths.kit_root()
    assert (root / "modules" / "index.ipynb").is_file()
    assert paths.resource_library_dir().is_dir()
    assert paths.exercises_dir().is_dir()


def test_shared_server_flag(monkeypatch):
    monkeypatch.delenv("ALLIANCE_KIT_SHARED", raising=False)
    assert not paths.shared_server()
    monkeypatch.setenv("ALLIANCE_KIT_SHARED", "1")
    assert paths.shared_server()


def test_workshop_implies_shared():
    from alliance_kit.serve import ServeOptions

    assert ServeOptions(workshop=20).is_shared
    assert ServeOptions(shared=True).is_shared
    assert not ServeOptions().is_shared

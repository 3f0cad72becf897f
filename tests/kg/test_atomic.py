"""kg.atomic: a file or folder is replaced whole or not at all, and only its own leftovers are cleaned."""

import os

import pytest

from kg.atomic import clean_temp, temp_path, write_text, written


def test_write_text_replaces_the_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "tokens.json"
    write_text(target, "old")
    write_text(target, "新的")
    assert target.read_text(encoding="utf-8") == "新的" and os.listdir(tmp_path) == ["tokens.json"]


def test_a_failing_writer_keeps_the_previous_file_and_folder(tmp_path):
    target, folder = tmp_path / "dense.faiss", tmp_path / "bm25"
    write_text(target, "complete")
    folder.mkdir()
    (folder / "vocab.json").write_text("complete")
    for path in (target, folder):
        with pytest.raises(RuntimeError), written(path) as tmp:
            tmp.write_text("half") if path is target else tmp.mkdir()
            raise RuntimeError("killed")
    assert target.read_text() == "complete" and (folder / "vocab.json").read_text() == "complete"
    assert sorted(os.listdir(tmp_path)) == ["bm25", "dense.faiss"]


def test_a_folder_is_swapped_whole(tmp_path):
    folder = tmp_path / "bm25"
    folder.mkdir()
    (folder / "old.npy").write_text("old")
    with written(folder) as tmp:
        tmp.mkdir()
        (tmp / "new.npy").write_text("new")
    assert os.listdir(folder) == ["new.npy"] and os.listdir(tmp_path) == ["bm25"]


def test_clean_temp_removes_only_what_the_writers_name(tmp_path):
    (tmp_path / "search").mkdir()
    left = [temp_path(tmp_path / "search" / "tokens.json"), tmp_path / "search" / "bm25.123.old.tmp"]
    left[0].write_text("half")
    left[1].mkdir()
    foreign = [tmp_path / "notes.tmp", tmp_path / "CURRENT.dbtmp"]
    for p in foreign:
        p.write_text("keep")
    assert clean_temp(tmp_path) == sorted(left)
    assert all(p.exists() for p in foreign) and not any(p.exists() for p in left)

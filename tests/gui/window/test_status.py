"""The status line's message against the counts' refreshes (pure: no window)."""

from __future__ import annotations

from photoscan.gui.window.status import StatusLine


def test_a_message_stays_until_the_counts_say_something_new() -> None:
    shown: list[str] = []
    counts = ["3 photos · 1 selected"]
    line = StatusLine(shown.append, lambda: counts[0])
    line.show_counts()
    line.say("Not saved: a.jpg cannot be read now")
    line.show_counts()  # a refresh for a change made before the message: the same counts
    line.show_counts()
    assert shown == ["3 photos · 1 selected", "Not saved: a.jpg cannot be read now"]
    counts[0] = "3 photos · 2 selected"
    line.show_counts()
    assert shown[-1] == "3 photos · 2 selected"
    counts[0] = "3 photos · 1 selected"  # the counts the message came over: news now
    line.show_counts()
    assert shown[-1] == "3 photos · 1 selected"


def test_counts_that_changed_while_the_message_was_said_replace_it() -> None:
    shown: list[str] = []
    counts = ["1 photo"]
    line = StatusLine(shown.append, lambda: counts[0])
    line.say("Copied the path to the clipboard")
    counts[0] = "2 photos"  # a scan found another
    line.show_counts()
    assert shown == ["Copied the path to the clipboard", "2 photos"]


def test_the_counts_say_photos_and_videos() -> None:
    from photoscan.gui.window.status import StatusCounts, status_text

    def text(total: int, videos: int, shown: int | None = None) -> str:
        counts = StatusCounts(total, total if shown is None else shown, 0, False, videos=videos)
        return status_text(counts, None, 0.0)

    assert text(29, 29) == "29 videos"
    assert text(15, 3) == "12 photos and 3 videos"
    assert text(1, 0) == "1 photo"
    assert text(15, 3, shown=4) == "4 of 12 photos and 3 videos shown"


def test_recordings_are_counted_apart() -> None:
    from photoscan.gui.library.photoinfo import count_words

    assert count_words(29, 23, 6) == "23 videos and 6 recordings"
    assert count_words(30, 23, 6) == "1 photo, 23 videos and 6 recordings"
    assert count_words(0) == "0 photos"

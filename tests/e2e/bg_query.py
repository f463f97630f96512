# SPDX-License-Identifier: MIT
"""The TUI asks the terminal for its background (OSC 11, then DA1) and
picks its palette from the answer: tempviz runs on a pseudo-terminal that
plays the terminal, answering as a light one, a dark one, one that knows
only DA1, and one that answers nothing. Each case checks the palette the
first frame is drawn with (xterm colour 245 is the dark palette's dimmed
text, 243 that of the palette legible on both), that the first frame comes
at all (a silent terminal costs the query's timeout, not a hang), that the
keys still work afterwards (? opens the help) and nothing of the reply
was read as keys (its "11;" would press 1, the factual preset, and the
header would say "T 0.2 cool"), and that q exits with status 0. A reply
after the query's timeout reaches the key decoder, which drops an OSC
string whole: bg-late checks that it too presses nothing.
One line per case, "ok NAME" or "FAIL NAME: WHY".
"""
import os
import pty
import select
import sys
import time

TEMPVIZ = os.environ.get("TEMPVIZ", "./tempviz")
QUERY = b"\033]11;?"
DARK_DIM = b"38;5;245m"
ANY_DIM = b"38;5;243m"


def read_until(fd, want, seconds, seen):
    end = time.monotonic() + seconds
    while want not in seen:
        left = end - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return False
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen.extend(chunk)
    return True


def run(name, reply, palette, delay=0.0, leaks=False):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8")
        env.pop("COLORFGBG", None)
        env.pop("NO_COLOR", None)
        os.execve(TEMPVIZ, [TEMPVIZ, "--scenario", "approve"], env)
    os.set_blocking(fd, True)
    seen = bytearray()
    why = None
    if not read_until(fd, QUERY, 5, seen):
        why = "no background query"
    else:
        time.sleep(delay)
        if reply:
            os.write(fd, reply)
        if not read_until(fd, b"1.00 natural", 5, seen):
            why = "no first frame"
        elif palette not in seen:
            why = "not the expected palette"
        else:
            os.write(fd, b"?")
            if not read_until(fd, b"Keys, by where they work", 5, seen):
                why = "? did not open the help"
            elif (b"0.2 cool" in seen) != leaks:
                why = "the reply %s read as keys" % ("was" if not leaks
                                                     else "was not")
            else:
                os.write(fd, b"q")
    status = None
    for _ in range(100):
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
        read_until(fd, b"\0never", 0.05, seen)
        time.sleep(0.02)
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    if why is None and status != 0:
        why = "exit status %s, not 0" % status
    os.close(fd)
    print("ok %s" % name if why is None else "FAIL %s: %s" % (name, why))
    return why is None


cases = [
    ("bg-light", b"\033]11;rgb:ffff/ffff/ffff\033\\\033[?62;22c", ANY_DIM),
    ("bg-dark", b"\033]11;rgb:1c1c/1c1c/1c1c\a\033[?62;22c", DARK_DIM),
    ("bg-da1-only", b"\033[?1;2c", ANY_DIM),
    ("bg-silent", b"", ANY_DIM),
    ("bg-late", b"\033]11;rgb:ffff/ffff/ffff\a", ANY_DIM, 1.0),
]
ok = all([run(*c) for c in cases])
sys.exit(0 if ok else 1)

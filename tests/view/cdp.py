"""cdp.py - headless Chromium driven through the DevTools protocol.

Chromium started with --remote-debugging-pipe reads the protocol's
commands from its file descriptor 3 and writes its answers and events to
4, each message JSON ended by a NUL: no WebSocket, no package to install.
A Browser opens one page; send() waits for a command's answer.  Used by
the view tests (clicks.py) and by bench/scaling.py's page load time.
"""

import base64
import json
import os
import subprocess
import time



class TestError(Exception):
    """What went wrong with Chromium or the page (the tests' failures and
    bench/scaling.py's errors)."""


class Browser:
    def __init__(self, chromium, width=1400, height=1000):
        to_chrome, self._w = os.pipe()
        self._r, from_chrome = os.pipe()

        def fds():  # the child's 3 and 4: copies first, that neither clobbers the other
            a, b = os.dup(to_chrome), os.dup(from_chrome)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={width},{height}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=fds)
        os.close(to_chrome)
        os.close(from_chrome)
        self._next, self._buf, self.session = 0, b"", None

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except TestError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)

    def _read(self, deadline):
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TestError("chromium did not answer in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise TestError(f"chromium ended (exit {self.proc.poll()})")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, session=True, timeout=60, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise TestError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def open(self, url):
        """A new page at url, waited for until page.js marks the body ready."""
        target = self.send("Target.createTarget", session=False, url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", session=False, targetId=target,
                                 flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Page.navigate", url=url)
        self.wait("document.body && document.body.getAttribute('data-ready') === '1'")

    def eval(self, expr):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise TestError(f"{expr}: {r['exceptionDetails'].get('text')} "
                            f"{r['exceptionDetails'].get('exception', {}).get('description')}")
        return r["result"].get("value")

    def wait(self, expr, timeout=30):
        deadline = time.monotonic() + timeout
        while not self.eval(expr):
            if time.monotonic() > deadline:
                raise TestError(f"timed out waiting for {expr}")
            time.sleep(0.05)

    def click(self, selector_expr):
        """A mouse click (pressed and released) at the middle of the element
        the expression gives, as a user's."""
        box = self.eval(f"(function () {{ var e = {selector_expr}; if (!e) return null;"
                        "e.scrollIntoView({block: 'center'}); var r = e.getBoundingClientRect();"
                        "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        if not box:
            raise TestError(f"nothing to click: {selector_expr}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                      button="left", clickCount=1)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

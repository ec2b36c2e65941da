#!/usr/bin/env python3
"""test_lsp.py KFPLINT SRC_DIR — `kfplint lsp` through a scripted client.

Drives the server over pipes exactly as an editor does and checks the protocol: initialize and
position-encoding negotiation, diagnostics at the CLI's positions (UTF-16 and UTF-8), code actions
(a quick fix, and fix-all equal to `kfplint --fix`), hover with the rule's documentation, full and
incremental changes, close, config discovery and suppressions, documents that are not KFP, and
hostile clients (bad JSON, bad framing, oversized messages, requests before initialize or after
shutdown, unknown methods, wrong id types). Everything the server writes must parse as framed
JSON-RPC: stdout carries nothing but protocol. Prints "N passed, M failed"."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

KFPLINT, SRC = sys.argv[1], sys.argv[2]
FIX = os.path.join(SRC, "fixtures")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


class Client:
    """A server process and a reader thread that splits its stdout into framed messages."""

    def __init__(self, env=None):
        self.p = subprocess.Popen([KFPLINT, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
        self.msgs, self.stray = [], b""
        self.cv = threading.Condition()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        self.next_id = 1

    def _read(self):
        out = self.p.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                if line == b"\r\n":
                    break
                if b":" not in line or not line.endswith(b"\r\n"):
                    with self.cv:
                        self.stray += line
                        self.cv.notify_all()
                    continue
                k, v = line[:-2].split(b":", 1)
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers[b"content-length"]))
            with self.cv:
                try:
                    self.msgs.append(json.loads(body))
                except ValueError:
                    self.stray += body
                self.cv.notify_all()

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait(lambda m: m.get("id") == id and "method" not in m)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout=60):
        """The first message (in order) matching pred; removed from the queue. None on timeout
        (a hang guard, not a timing assertion)."""
        with self.cv:
            while True:
                for i, m in enumerate(self.msgs):
                    if pred(m):
                        return self.msgs.pop(i)
                if not self.cv.wait(timeout):
                    return None

    def diagnostics(self, uri):
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return None if m is None else m["params"]["diagnostics"]

    def close(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        rc = self.p.wait(timeout=60)
        self.t.join(timeout=10)
        return rc


def uri(path):
    return "file://" + "".join(c if c.isalnum() or c in "/-_.~" else "%%%02X" % b
                               for c in path for b in [ord(c)] if b < 128) if path.isascii() else None


def cli_json(path, *extra):
    r = subprocess.run([KFPLINT, "--format", "json", *extra, path], capture_output=True, text=True)
    return json.loads(r.stdout)["findings"]


def utf16_col(line, col_cp):
    """LSP character (UTF-16 units, 0-based) of 1-based code-point column col_cp."""
    return len(line[:col_cp - 1].encode("utf-16-le")) // 2


work = tempfile.mkdtemp()
try:
    # ---------------------------------------------------------------- lifecycle and hostile clients
    c = Client()
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///x.yaml"}, "position": {"line": 0, "character": 0}})
    check(r and r.get("error", {}).get("code") == -32002, "request before initialize: ServerNotInitialized")
    c.raw(b"Content-Length: 5\r\n\r\n{bad}")
    r = c.wait(lambda m: m.get("error", {}).get("code") == -32700)
    check(r is not None and r["id"] is None, "bad JSON: ParseError with id null")
    c.raw(b"Content-Length: abc\r\n\r\n")
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32700 and "Content-Length" in m["error"]["message"]) is not None,
          "non-numeric Content-Length: ParseError")
    c.raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32700 and "Content-Length" in m["error"]["message"]) is not None,
          "missing Content-Length: ParseError")
    c.raw(b"X" * 20000 + b"\r\n\r\n")
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32700 and "too long" in m["error"]["message"]) is not None,
          "overlong header line: ParseError")
    c.send([{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}])
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32600) is not None, "batch: InvalidRequest")
    c.send({"jsonrpc": "2.0", "id": {"a": 1}, "method": "initialize", "params": {}})
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32600 and m["id"] is None) is not None,
          "object id: InvalidRequest")
    r = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    caps = r and r.get("result", {}).get("capabilities", {})
    check(caps and caps.get("positionEncoding") == "utf-16", "default position encoding is utf-16")
    check(caps and caps.get("textDocumentSync", {}).get("change") == 1 and caps.get("hoverProvider") is True
          and "quickfix" in caps.get("codeActionProvider", {}).get("codeActionKinds", []), "capabilities")
    r = c.request("initialize", {"capabilities": {}})
    check(r and r.get("error", {}).get("code") == -32600, "second initialize: InvalidRequest")
    c.notify("initialized", {})
    r = c.request("workspace/symbol", {"query": "x"})
    check(r and r.get("error", {}).get("code") == -32601, "unknown request: MethodNotFound")
    c.notify("workspace/unknownNotification", {"x": 1})
    c.notify("$/cancelRequest", {"id": 99})
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///not-open.yaml"}, "position": {"line": 0, "character": 0}})
    check(r and r.get("error", {}).get("code") == -32602, "hover on a document not open: InvalidParams")
    r = c.request("textDocument/codeAction", {"textDocument": {"uri": "file:///x"}, "range": "nope", "context": {}})
    check(r and r.get("error", {}).get("code") == -32602, "codeAction with a bad range: InvalidParams")
    # a body shorter than its Content-Length claims swallows the next header; the server resyncs
    c.raw(b"Content-Length: 2\r\n\r\n{}")
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32600 and m["id"] is None) is not None,
          "{} (no method): InvalidRequest")
    r = c.request("shutdown")
    check(r is not None and "result" in r and r["result"] is None, "shutdown: null result")
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}})
    check(r and r.get("error", {}).get("code") == -32600, "request after shutdown: InvalidRequest")
    c.notify("exit", None)
    rc = c.close()
    check(rc == 0, "exit after shutdown: exit code 0 (got %s)" % rc)
    check(c.stray == b"", "stdout carries only protocol (stray: %r)" % c.stray[:200])

    c = Client()
    c.request("initialize", {"capabilities": {}})
    c.notify("exit", None)
    check(c.close() == 1, "exit without shutdown: exit code 1")
    c = Client()
    check(c.close() == 1, "end of input: exit code 1")

    env = dict(os.environ, KFPLINT_LSP_MAX_MESSAGE="1000")
    c = Client(env)
    c.raw(b"Content-Length: 5000\r\n\r\n" + b"x" * 5000)
    check(c.wait(lambda m: m.get("error", {}).get("code") == -32600 and "larger" in m["error"]["message"]) is not None,
          "oversized message: read past and refused")
    r = c.request("initialize", {"capabilities": {}})
    check(r is not None and "result" in r, "the server goes on after an oversized message")
    c.raw(b"Content-Length: 99999999999\r\n\r\nshort")
    check(c.close() == 1, "a huge claimed length then the end of input: no hang")

    # ---------------------------------------------------------------- diagnostics, actions, hover
    for enc in ("utf-16", "utf-8"):
        c = Client()
        caps = {"general": {"positionEncodings": ["utf-8", "utf-16"]}} if enc == "utf-8" else {}
        r = c.request("initialize", {"capabilities": caps})
        check(r["result"]["capabilities"]["positionEncoding"] == enc, "negotiated %s" % enc)
        c.notify("initialized", {})
        # positions: a finding inside a string after multi-byte characters on its line
        src = open(os.path.join(FIX, "rules/env-unset/bad-default-new-env.yaml"), encoding="utf-8").read()
        src = src.replace("python3 -m evaluate --bucket", "python3 -m évaluate😀 --bucket", 1)
        path = os.path.join(work, "é dir", "env.yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w", encoding="utf-8").write(src)
        u = "file://" + "/".join(__import__("urllib.parse").parse.quote(p) for p in path.split("/"))
        c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": src}})
        diags = c.diagnostics(u)
        expect = cli_json(path)
        check(diags is not None and len(diags) == len(expect) and "😀" in src, "%s: as many diagnostics as the CLI finds" % enc)
        lines = src.split("\n")
        for d, f in zip(diags or [], expect):
            line = lines[f["start"]["line"] - 1]
            want = utf16_col(line, f["start"]["column"]) if enc == "utf-16" else \
                len(line[:f["start"]["column"] - 1].encode("utf-8"))
            check(d["range"]["start"] == {"line": f["start"]["line"] - 1, "character": want} and d["code"] == f["rule"],
                  "%s: %s at the CLI's position (%s vs %s:%s)" % (enc, f["rule"], d["range"]["start"], f["start"]["line"], want))
        check(any("😀" in lines[f["start"]["line"] - 1][:f["start"]["column"]] for f in expect),
              "%s: a finding follows the multi-byte characters on its line" % enc)
        c.notify("textDocument/didClose", {"textDocument": {"uri": u}})
        check(c.diagnostics(u) == [], "%s: close clears the diagnostics" % enc)
        # actions, hover and an incremental change on a misspelt task
        src = open(os.path.join(FIX, "rules/unknown-task/bad-typo.yaml"), encoding="utf-8").read()
        u = "file://" + os.path.join(work, "typo.yaml")
        c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": src}})
        diags = c.diagnostics(u)
        typo = [d for d in diags or [] if d["code"] == "unknown-task"]
        check(len(typo) == 1 and typo[0]["severity"] == 1 and typo[0]["source"] == "kfplint", "%s: unknown-task error" % enc)
        if typo:
            rng = typo[0]["range"]
            acts = c.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": rng,
                                                        "context": {"diagnostics": [typo[0]]}})["result"]
            quick = [a for a in acts if a["kind"] == "quickfix"]
            check(len(quick) == 1 and "(unsafe fix)" in quick[0]["title"] and not quick[0]["isPreferred"],
                  "%s: the unsafe did-you-mean fix is offered and labelled" % enc)
            if quick:
                e = quick[0]["edit"]["changes"][u][0]
                check(e["newText"] == "train" and e["range"] == rng, "%s: the quick fix replaces 'trian' with 'train'" % enc)
            h = c.request("textDocument/hover", {"textDocument": {"uri": u}, "position": rng["start"]})["result"]
            check(h and h["contents"]["kind"] == "markdown" and "`unknown-task`" in h["contents"]["value"]
                  and "## What it does" in h["contents"]["value"], "%s: hover shows the rule and its documentation" % enc)
            h = c.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}})
            check(h and h["result"] is None, "%s: hover where there is no finding: null" % enc)
            # incremental edit: replace 'trian' by 'train' through a range
            c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                                "contentChanges": [{"range": rng, "text": "train"}]})
            diags2 = c.diagnostics(u)
            check(diags2 is not None and not [d for d in diags2 if d["code"] == "unknown-task"],
                  "%s: an incremental change that fixes the typo clears the diagnostic" % enc)
        c.request("shutdown")
        c.notify("exit", None)
        check(c.close() == 0 and c.stray == b"", "%s: clean exit, only protocol on stdout" % enc)

    # fix-all equals `kfplint --fix`; a safe quick fix is preferred
    c = Client()
    c.request("initialize", {"capabilities": {}})
    broken = os.path.join(FIX, "rules", "unknown-task", "bad-display-name.yaml")
    src = open(broken, encoding="utf-8").read()
    path = os.path.join(work, "fixall.yaml")
    open(path, "w", encoding="utf-8").write(src)
    subprocess.run([KFPLINT, "--no-config", "--fix", path], capture_output=True)  # fixes the copy in place
    want = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(src)
    u = "file://" + path
    c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": src}})
    diags = c.diagnostics(u)
    end = {"line": len(src.split("\n")), "character": 0}
    acts = c.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": end},
                                                "context": {"diagnostics": diags}})["result"]
    fixall = [a for a in acts if a["kind"] == "source.fixAll.kfplint"]
    if want and want != src:
        check(len(fixall) == 1 and fixall[0]["edit"]["changes"][u][0]["newText"] == want,
              "fix-all gives exactly what kfplint --fix writes")
        check(any(a["kind"] == "quickfix" and a["isPreferred"] for a in acts), "a safe quick fix is preferred")
    else:
        check(False, "fixture %s has no safe fix to test fix-all with" % broken)
    only = c.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": end},
                                                "context": {"diagnostics": [], "only": ["source.fixAll"]}})["result"]
    check(only and all(a["kind"] == "source.fixAll.kfplint" for a in only), "context.only filters the kinds")
    # full change with a non-KFP document: no diagnostics; a broken Helm template: none either
    c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                        "contentChanges": [{"text": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"}]})
    check(c.diagnostics(u) == [], "a Kubernetes Deployment gets no diagnostics")
    helm = "apiVersion: v1\nkind: ConfigMap\ndata:\n  {{- range .Values.items }}\n  {{ . }}: x\n  {{- end }}\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": u + ".helm.yaml", "languageId": "yaml", "version": 1, "text": helm}})
    check(c.diagnostics(u + ".helm.yaml") == [], "a broken non-KFP YAML (Helm template) gets no diagnostics")
    half = src[: len(src) // 2] + "\n  bad: [\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": u + ".2.yaml", "languageId": "yaml", "version": 1, "text": half}})
    d2 = c.diagnostics(u + ".2.yaml")
    check(d2 and d2[0]["code"] == "parse-error", "a KFP document with a syntax error gets parse-error")
    c.request("shutdown")
    c.notify("exit", None)
    c.close()

    # config discovery and inline suppressions, as in the CLI
    broken = os.path.join(FIX, "examples", "broken_ml_pipeline.yaml")
    proj = os.path.join(work, "proj")
    os.makedirs(os.path.join(proj, "sub"))
    open(os.path.join(proj, ".kfplint.yaml"), "w").write("rules:\n  image-unpinned: off\n")
    path = os.path.join(proj, "sub", "p.yaml")
    src = open(broken, encoding="utf-8").read()
    open(path, "w").write(src)
    c = Client()
    c.request("initialize", {"capabilities": {}})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + path, "languageId": "yaml", "version": 1, "text": src}})
    got = sorted(d["code"] for d in c.diagnostics("file://" + path))
    want = sorted(f["rule"] for f in cli_json(path))
    check(got == want and "image-unpinned" not in got, "the nearest .kfplint.yaml applies (%s vs %s)" % (got, want))
    open(os.path.join(proj, ".kfplint.yaml"), "w").write("rules: 5\n")
    c.notify("textDocument/didSave", {"textDocument": {"uri": "file://" + path}})
    d3 = c.diagnostics("file://" + path)
    check(d3 and len(d3) == 1 and d3[0]["code"] == "config-error" and ".kfplint.yaml" in d3[0]["message"],
          "a broken config is an error diagnostic, not a silent default")
    c.request("shutdown")
    c.notify("exit", None)
    c.close()
finally:
    shutil.rmtree(work, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

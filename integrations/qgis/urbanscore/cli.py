"""Finds the urbanscore command-line tool and runs it with progress, cancellation and its messages in the log.

Plain Python (no QGIS imports) so the rules are easy to read and to test: the algorithms hand in a Processing
feedback object, of which only isCanceled, setProgress, pushInfo, pushConsoleInfo and pushWarning are used.
"""

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import namedtuple

#: Key of the Processing setting (Settings > Options > Processing > Providers > UrbanScore).
SETTING_EXECUTABLE = "URBANSCORE_EXECUTABLE"
#: Environment variable naming the executable when the setting is empty.
ENVIRONMENT_VARIABLE = "URBANSCORE_CLI"

INSTALL_HINT = (
    "install the tool with 'dotnet tool install --global UrbanScore.Tool' (the .NET 10 SDK or runtime is needed), "
    "or set Processing > Options > Providers > UrbanScore > UrbanScore executable (or the URBANSCORE_CLI "
    "environment variable) to the urbanscore executable or to UrbanScore.Cli.dll of a build"
)

#: How long a cancelled run may take to save what it scored and exit before it is killed. The CLI stops within 2 s
#: of SIGTERM (README, exit code 130); the margin covers a slow disk.
STOP_GRACE_SECONDS = 15

# "1234/5678 tiles" (thousands separators allowed): the plain progress line the CLI prints when its output is not a
# terminal, e.g. "progress: 80/80 tiles (80 scored, 0 empty, 0 failed) 22.5 tiles/s ETA 0m00s".
_PROGRESS = re.compile(r"(\d[\d,]*)\s*/\s*(\d[\d,]*)\s+tiles")

CliLocation = namedtuple("CliLocation", ["command", "path", "origin"])
"""command: the argument list that starts the tool; path: what was found; origin: where it was found (for the log)."""

CliResult = namedtuple("CliResult", ["exit_code", "stdout", "stderr", "cancelled", "pid"])
"""exit_code of the tool; stdout and stderr as lists of lines; cancelled: stopped on the user's request."""


class CliNotFoundError(Exception):
    """No urbanscore executable was found; the message says where it looked and how to install one."""


def find_cli(setting_value=None, environ=None):
    """Locates the tool: the Processing setting, else URBANSCORE_CLI, else urbanscore on PATH, else the folder
    'dotnet tool install --global' uses (not on PATH for a QGIS started from a desktop menu)."""
    environ = os.environ if environ is None else environ
    if setting_value:
        return _checked(setting_value, "the Processing setting 'UrbanScore executable'")
    if environ.get(ENVIRONMENT_VARIABLE):
        return _checked(environ[ENVIRONMENT_VARIABLE], "the environment variable " + ENVIRONMENT_VARIABLE)
    on_path = shutil.which("urbanscore", path=environ.get("PATH"))
    if on_path:
        return CliLocation([on_path], on_path, "PATH")
    home = environ.get("USERPROFILE" if sys.platform == "win32" else "HOME") or os.path.expanduser("~")
    tools = os.path.join(home, ".dotnet", "tools", "urbanscore.exe" if sys.platform == "win32" else "urbanscore")
    if os.path.isfile(tools):
        return CliLocation([tools], tools, "the .NET global tools folder")
    raise CliNotFoundError("The urbanscore tool was not found (not set in the Processing setting 'UrbanScore "
                           "executable', not in URBANSCORE_CLI, not on PATH): " + INSTALL_HINT + ".")


def _checked(path, origin):
    path = os.path.expanduser(path.strip().strip('"'))
    if not os.path.isfile(path):
        raise CliNotFoundError("{} names {}, which does not exist: {}.".format(origin, path, INSTALL_HINT))
    if path.lower().endswith(".dll"):
        # A build's UrbanScore.Cli.dll runs through the dotnet host.
        dotnet = os.environ.get("DOTNET_HOST_PATH") or shutil.which("dotnet")
        if not dotnet:
            raise CliNotFoundError("{} names {}, which needs the dotnet command, and dotnet is not on PATH; install "
                                   "the .NET 10 runtime.".format(origin, path))
        return CliLocation([dotnet, path], path, origin)
    if not os.access(path, os.X_OK):
        raise CliNotFoundError("{} names {}, which is not executable; make it executable or {}.".format(
            origin, path, INSTALL_HINT))
    return CliLocation([path], path, origin)


def parse_progress(line):
    """(done, total) from a CLI progress line, or None."""
    match = _PROGRESS.search(line)
    if not match:
        return None
    done, total = (int(group.replace(",", "")) for group in match.groups())
    return (done, total) if total > 0 else None


def error_sentence(result):
    """The sentence the CLI printed for a failure (its last line on stderr, without the 'error: ' prefix)."""
    lines = [line.strip() for line in result.stderr if line.strip()]
    if not lines:
        lines = [line.strip() for line in result.stdout if line.strip()]
    if not lines:
        return "urbanscore exited with code {} without a message.".format(result.exit_code)
    sentence = lines[-1]
    return sentence[len("error:"):].strip() if sentence.lower().startswith("error:") else sentence


def redact(arguments):
    """The argument list for the log: header values and key-like URL parameters replaced by ***, as the CLI does."""
    shown = []
    previous = None
    for argument in arguments:
        if previous == "--header" and ":" in argument:
            argument = argument.split(":", 1)[0] + ": ***"
        else:
            argument = re.sub(r"(?i)([?&](?:[a-z_-]*key|token|access_token|signature|sig|secret|password)=)[^&\s]+",
                              r"\1***", argument)
        shown.append(argument)
        previous = argument
    return shown


def run(location, arguments, feedback, progress_from_output=True, log_stdout=True):
    """Runs the tool to its end and returns a CliResult.

    Every output line goes to the log (stdout's only with log_stdout: a JSON answer is data, not a message);
    progress lines move the progress bar; when the user cancels, the tool gets
    SIGTERM (on Windows: terminate), saves what it scored and exits with 130 (the next run with the same
    arguments resumes); it is killed when it has not exited after STOP_GRACE_SECONDS.
    """
    command = list(location.command) + list(arguments)
    feedback.pushCommandInfo(" ".join(_quote(a) for a in redact(command)))
    environment = dict(os.environ)
    environment.setdefault("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
    options = {}
    if sys.platform == "win32":
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        # Its own session: Ctrl+C in the terminal that started QGIS does not reach the tool behind QGIS' back.
        options["start_new_session"] = True
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=environment, universal_newlines=True, encoding="utf-8", errors="replace",
                               bufsize=1, **options)
    feedback.pushInfo("urbanscore started (process {}).".format(process.pid))
    lines = queue.Queue()
    readers = [threading.Thread(target=_pump, args=(stream, name, lines), daemon=True)
               for stream, name in ((process.stdout, "out"), (process.stderr, "err"))]
    for reader in readers:
        reader.start()
    stdout, stderr = [], []
    cancelled = False
    stop_deadline = None
    open_streams = len(readers)
    while open_streams > 0 or process.poll() is None:
        if not cancelled and feedback.isCanceled():
            cancelled = True
            feedback.pushInfo("Cancelling: urbanscore saves what it scored and stops; run the algorithm again with "
                              "the same parameters to resume.")
            _interrupt(process)
            stop_deadline = time.monotonic() + STOP_GRACE_SECONDS
        if stop_deadline is not None and time.monotonic() > stop_deadline:
            feedback.pushWarning("urbanscore did not stop within {} s; killing it.".format(STOP_GRACE_SECONDS))
            _signal(process, getattr(signal, "SIGKILL", None))
            stop_deadline = None
        try:
            name, line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
            continue
        line = line.rstrip("\r\n").split("\r")[-1]
        (stdout if name == "out" else stderr).append(line)
        if not line.strip() or (name == "out" and not log_stdout):
            continue
        feedback.pushConsoleInfo(line)
        progress = parse_progress(line) if progress_from_output and name == "out" else None
        if progress is not None:
            feedback.setProgress(min(100.0, 100.0 * progress[0] / progress[1]))
    exit_code = process.wait()
    for reader in readers:
        reader.join()
    return CliResult(exit_code, stdout, stderr, cancelled, process.pid)


def _pump(stream, name, lines):
    try:
        for line in iter(stream.readline, ""):
            lines.put((name, line))
    finally:
        stream.close()
        lines.put((name, None))


def _interrupt(process):
    _signal(process, getattr(signal, "SIGTERM", None))


def _signal(process, signal_number):
    """Signals the tool's whole process group (its own session), so a wrapper script's dotnet child gets it too,
    also when the wrapper has already exited."""
    if sys.platform == "win32":
        # No SIGTERM on Windows: terminate is a kill, which the store survives (docs/reliability.md).
        if process.poll() is None:
            process.terminate()
        return
    try:
        os.killpg(process.pid, signal_number)
    except ProcessLookupError:
        pass


def _quote(argument):
    return argument if argument and not re.search(r"[\s\"'{}&|;<>$]", argument) else "'" + argument.replace(
        "'", "'\\''") + "'"

// Which physical lines continue the entry before them. Runtimes write a plain-text stack trace
// as one line per frame; read one by one, a Java exception becomes forty entries that no search
// for its message can show together. These rules recognise the traces of the JVM, CPython and
// the Go runtime, and nothing else: a wrong merge hides a line inside another, which is worse
// than a trace left in pieces.

/** What the entry being built is, so far: its rules decide what may follow. */
export type TraceMode = 'line' | 'java' | 'python' | 'python-done' | 'go';

/** How long a pending entry waits for its next line. Runtimes write a trace's lines together. */
export const MULTILINE_WINDOW_MS = 500;

const JAVA_FRAME = /^\s+(?:at\s|\.\.\.\s*\d+\s+(?:more|common frames omitted))/;
const JAVA_CAUSE = /^(?:Caused by|\s*Suppressed):\s/;
// `java.lang.IllegalStateException: boom`, as logback prints it on the line after the message.
const JAVA_EXCEPTION = /^(?:[a-zA-Z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error|Throwable)(?::\s|$)/;
const PYTHON_TRACEBACK = 'Traceback (most recent call last):';
const PYTHON_CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)$/;
const INDENTED = /^\s+\S/;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;
const GO_HEAD = /^(?:panic: |fatal error: )/;
// `main.main()`, `net/http.(*conn).serve(0xc000123456, {0x1, 0x2})`, `created by ...`.
const GO_CALL = /^(?:\S+\(.*\)|created by \S.*)$/;
const GO_OTHER = /^(?:\[signal |exit status \d+$)/;

/**
 * Whether a line could be anything but an ordinary line to these rules: a cheap look at its
 * first character, since JSON (`{`), klog (`I1125`) and most plain lines are rejected by it.
 */
function mayBeTraceLine(text: string): boolean {
  const c = text.charCodeAt(0);
  // whitespace, letters, `_` and `$`: frames, `Caused by:`, exception names, Traceback, goroutine
  return c === 32 || c === 9 || c === 95 || c === 36 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** The mode of an entry whose first line is `text`. */
export function traceModeOf(text: string): TraceMode {
  if (!mayBeTraceLine(text)) return 'line';
  if (text === PYTHON_TRACEBACK) return 'python';
  if (GO_HEAD.test(text) || GO_GOROUTINE.test(text)) return 'go';
  if (JAVA_EXCEPTION.test(text)) return 'java';
  return 'line';
}

/** The entry's mode after `text` joins it, or undefined when `text` starts an entry of its own. */
export function continuation(mode: TraceMode, text: string): TraceMode | undefined {
  if (text.length === 0) {
    // Blank lines separate a Go panic from its goroutines and Python's chained tracebacks.
    return mode === 'go' || mode === 'python-done' ? mode : undefined;
  }
  switch (mode) {
    case 'go':
      return GO_GOROUTINE.test(text) || text[0] === '\t' || GO_CALL.test(text) || GO_OTHER.test(text) ? 'go' : undefined;
    case 'python':
      // Frames and their source lines are indented; the first line that is not ends the trace.
      return INDENTED.test(text) ? 'python' : 'python-done';
    case 'python-done':
      if (text === PYTHON_TRACEBACK) return 'python';
      return PYTHON_CHAIN.test(text) ? 'python-done' : undefined;
    case 'java':
      return JAVA_FRAME.test(text) || JAVA_CAUSE.test(text) ? 'java' : undefined;
    case 'line':
      // A log line followed by the exception it reports (logback, logging.exception, net/http).
      if (!mayBeTraceLine(text)) return undefined;
      if (JAVA_EXCEPTION.test(text) || JAVA_FRAME.test(text) || JAVA_CAUSE.test(text)) return 'java';
      if (text === PYTHON_TRACEBACK) return 'python';
      if (GO_GOROUTINE.test(text)) return 'go';
      return undefined;
  }
}

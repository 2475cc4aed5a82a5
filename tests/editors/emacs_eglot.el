;;; emacs_eglot.el --- Drives a real Emacs + eglot against fim-lsp  -*- lexical-binding: t; -*-

;; Run by tests/editors/emacs_test.cpp:
;;   emacs -q --batch -l tests/editors/emacs_eglot.el
;; (-q, not -Q: Debian's eglot 1.9 is a site package, which -Q hides.)
;; Environment: FIM_LSP_BINARY, FIM_BASE_URL, FIM_CA_FILE, FIM_EDITORS_DIR (editors/),
;; FIM_WORK_DIR, FIM_RESULT (one line per check: "ok NAME", "fail NAME: DETAIL", last "done").
;; The test backend answers "_value(42)", and fails when the document holds "FAULT".

;;; Code:

(require 'cl-lib)
(unless (require 'eglot nil t)
  (require 'package)
  (package-initialize)
  (require 'eglot))
(load (expand-file-name "emacs/fim-lsp.el" (getenv "FIM_EDITORS_DIR")) nil t)

(defvar fim-test--results nil)

(defun fim-test--record (line)
  (setq fim-test--results (append fim-test--results (list line)))
  (with-temp-file (getenv "FIM_RESULT")
    (insert (mapconcat #'identity fim-test--results "\n") "\n")))

(defun fim-test--check (name ok &optional detail)
  (fim-test--record (if ok (concat "ok " name) (format "fail %s: %S" name detail)))
  ok)

(defun fim-test--wait (pred seconds)
  "Process output until PRED holds or SECONDS pass; whether PRED held."
  (let ((deadline (+ (float-time) seconds))
        (rounds 0))
    (while (and (not (funcall pred)) (< (float-time) deadline) (< rounds 100000))
      (accept-process-output nil 0.05)
      (cl-incf rounds))
    (and (funcall pred) t)))

(defun fim-test--line ()
  (buffer-substring-no-properties (line-beginning-position) (line-end-position)))

(defun fim-test--open (name text)
  "Visit NAME in the work dir holding TEXT, point at its end, managed by eglot."
  (find-file (expand-file-name name (getenv "FIM_WORK_DIR")))
  (erase-buffer)
  (insert text)
  (eglot-ensure)
  (run-hooks 'post-command-hook) ; eglot-ensure connects from the next command's hook
  (fim-test--wait (lambda () (and (eglot-managed-p) (eglot-current-server))) 30))

(defun fim-test--capf (name expected)
  "Complete at point with `completion-at-point'; the line must become EXPECTED."
  (condition-case err
      (progn
        (completion-at-point)
        (fim-test--check name (equal (fim-test--line) expected) (fim-test--line)))
    (error (fim-test--check name nil err))))

(defun fim-test--ghost-string ()
  (and (overlayp fim-lsp--overlay)
       (substring-no-properties (overlay-get fim-lsp--overlay 'after-string))))

(defun fim-test--type (keys)
  "Type KEYS through the command loop, as a user does."
  (execute-kbd-macro (kbd keys)))

(defun fim-test--idle ()
  "Run the idle timer the last edit armed (batch Emacs is never idle)."
  (let ((timer fim-lsp--timer))
    (when (timerp timer)
      (cancel-timer timer)
      (apply (timer--function timer) (timer--args timer))
      t)))

(defun fim-test--request-done (server id)
  "Whether SERVER has answered request ID."
  (not (gethash id (jsonrpc--request-continuations server))))

(defun fim-test--main ()
  (setq eglot-server-programs
        `((python-mode . (,(getenv "FIM_LSP_BINARY") "--stdio"
                          "--base-url" ,(getenv "FIM_BASE_URL") "--ca-file" ,(getenv "FIM_CA_FILE")
                          ;; prefetch off: the lighter's request count is checked
                          :initializationOptions (:endpoint (:timeoutMs 3000) :debounceMs 0
                                                  :suggestion (:prefetch :json-false))))))
  (setq-default eglot-workspace-configuration '((:fimLsp . (:endpoint (:timeoutMs 3000)))))
  (setq eglot-sync-connect 30 eglot-connect-timeout 30)
  (add-hook 'eglot-managed-mode-hook #'fim-lsp-eglot-hook)

  ;; 1. completion-at-point (popup completion) on an ASCII and a non-ASCII line.
  (unless (fim-test--check "attached" (fim-test--open "capf.py" "import math\nresult = compute")
                           "eglot did not manage the buffer within 30 s")
    (error "no eglot session"))
  (fim-test--check "fim-lsp-mode on" fim-lsp-mode)
  (fim-test--capf "capf ascii" "result = compute_value(42)")
  ;; The server's fimLsp/status (asked for in the capabilities) drives the lighter.
  (fim-test--check "status ready"
                   ;; The usage's counts are checked over pipes (tests/e2e/status_test.cpp); here
                   ;; that the notification reaches the lighter.
                   (fim-test--wait (lambda () (and (equal (plist-get fim-lsp--status :state) "ready")
                                                   (plist-get fim-lsp--status :usage)))
                                   10)
                   fim-lsp--status)
  (fim-test--check "status lighter" (equal (fim-lsp--lighter) " fim") (fim-lsp--lighter))
  (goto-char (point-max))
  (insert "\ntotal = comp")
  (fim-test--capf "capf after edit" "total = comp_value(42)")
  (fim-test--open "unicode.py" "s = \"héllo 日本\" + greet")
  (fim-test--capf "capf non-ascii" "s = \"héllo 日本\" + greet_value(42)")

  ;; 2. Ghost text: typing arms the idle timer, the reply shows as an overlay, TAB accepts.
  (fim-test--open "ghost.py" "x = 1\ntotal = com")
  (fim-test--type "p")
  (fim-test--check "ghost timer armed" (fim-test--idle) "no idle timer after typing")
  (fim-test--check "ghost shown" (fim-test--wait (lambda () (fim-test--ghost-string)) 20)
                   "no overlay within 20 s")
  (fim-test--check "ghost text" (equal (fim-test--ghost-string) "_value(42)") (fim-test--ghost-string))
  (fim-test--check "ghost TAB bound" (eq (key-binding (kbd "TAB")) 'fim-lsp-accept) (key-binding (kbd "TAB")))
  (fim-test--type "TAB")
  (fim-test--check "ghost accepted" (equal (fim-test--line) "total = comp_value(42)") (fim-test--line))
  (fim-test--check "ghost cleared after accept" (null fim-lsp--overlay))
  (fim-test--check "TAB unbound without ghost" (not (eq (key-binding (kbd "TAB")) 'fim-lsp-accept)))

  ;; 3. Typing clears a shown suggestion, and a reply to older text is never shown.
  (goto-char (point-max))
  (insert "\nvalue = fet")
  (fim-test--type "c")
  (fim-test--idle)
  (fim-test--wait (lambda () (fim-test--ghost-string)) 20)
  (fim-test--check "second ghost shown" (fim-test--ghost-string))
  (fim-test--type "h")
  (fim-test--check "typing clears ghost" (null fim-lsp--overlay) (fim-test--ghost-string))
  (fim-test--idle)
  (let ((pending fim-lsp--pending))
    (fim-test--check "request in flight" (and pending (car pending)) pending)
    (fim-test--type "x")                ; supersedes it before its reply is read
    (when (and pending (car pending))
      (fim-test--check "stale reply came" (fim-test--wait (lambda () (fim-test--request-done (cdr pending) (car pending))) 20))
      (fim-test--wait (lambda () nil) 0.2) ; let any handler for it run
      (fim-test--check "stale reply not shown" (null fim-lsp--overlay) (fim-test--ghost-string))))
  (fim-test--check "typed text intact" (equal (fim-test--line) "value = fetchx") (fim-test--line))

  ;; 4. A failing backend: no error, nothing shown, the session goes on.
  (fim-test--open "fault.py" "y = FAUL")
  (fim-test--type "T")
  (fim-test--idle)
  (let ((pending fim-lsp--pending)
        (server (eglot-current-server)))
    (fim-test--check "fault inline answered"
                     (and pending (fim-test--wait (lambda () (fim-test--request-done server (car pending))) 30)))
    (fim-test--check "fault nothing shown" (null fim-lsp--overlay) (fim-test--ghost-string))
    (condition-case err
        (progn (completion-at-point)
               (fim-test--check "fault capf no error" t))
      (error (fim-test--check "fault capf no error" nil err)))
    (fim-test--check "fault server alive" (jsonrpc-running-p server)))
  (fim-test--open "after_fault.py" "z = fetch")
  (fim-test--capf "capf after fault" "z = fetch_value(42)")
  (fim-test--type "_")
  (fim-test--idle)
  (fim-test--check "ghost after fault" (fim-test--wait (lambda () (fim-test--ghost-string)) 20)))

(condition-case err
    (fim-test--main)
  (error (fim-test--record (format "fail script: %S" err))))
(fim-test--record "done")
(let ((server (ignore-errors (eglot-current-server))))
  (when server (ignore-errors (eglot-shutdown server nil 5))))
(kill-emacs 0)

;;; emacs_eglot.el ends here

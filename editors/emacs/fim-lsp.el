;;; fim-lsp.el --- Ghost-text completions from fim-lsp over eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: convenience, tools
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Eglot shows popup completions (`completion-at-point') but not LSP inline completions.
;; `fim-lsp-mode' adds them: when typing pauses it asks the buffer's eglot server (fim-lsp)
;; for `textDocument/inlineCompletion', shows the suggestion as shadowed text after point,
;; TAB accepts it, and anything else typed clears it (the request is cancelled with
;; `$/cancelRequest', and a late reply for older text is ignored).
;;
;;   (require 'fim-lsp)
;;   (add-hook 'eglot-managed-mode-hook #'fim-lsp-eglot-hook)
;;
;; Works with Emacs 28 + eglot 1.9 (Debian 12) and newer.

;;; Code:

(require 'eglot)
(require 'jsonrpc)
(require 'cl-lib)

(defgroup fim-lsp nil
  "Ghost-text completions from fim-lsp."
  :group 'eglot
  :prefix "fim-lsp-")

(defcustom fim-lsp-idle-delay 0.3
  "Seconds of idleness after an edit before asking for a suggestion."
  :type 'number)

(defcustom fim-lsp-request-timeout 15
  "Seconds to wait for a suggestion before giving up silently."
  :type 'number)

(defface fim-lsp-suggestion-face '((t :inherit shadow))
  "Face of the ghost text.")

(defvar fim-lsp-suggestion-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "TAB") #'fim-lsp-accept)
    (define-key map (kbd "<tab>") #'fim-lsp-accept)
    (define-key map (kbd "C-g") #'fim-lsp-dismiss)
    map)
  "Keys active only while a suggestion is shown.")

(defvar fim-lsp-mode)
(defvar-local fim-lsp--overlay nil "Overlay showing the suggestion, or nil.")
(defvar-local fim-lsp--text nil "Text of the shown suggestion.")
(defvar-local fim-lsp--showing nil "Non-nil while a suggestion shows; enables `fim-lsp-suggestion-map'.")
(defvar-local fim-lsp--pending nil "(ID . SERVER) of the request in flight, or nil.")
(defvar-local fim-lsp--generation 0 "Bumped on every edit and move; older replies are stale.")
(defvar-local fim-lsp--timer nil "Idle timer of the next request, or nil.")
(defvar-local fim-lsp--tick 0 "`buffer-chars-modified-tick' after the last command.")
(defvar-local fim-lsp--point nil "Point of the request in flight or the shown suggestion.")

(defvar fim-lsp--status nil
  "The latest `fimLsp/status' from the server: a plist (:state :message :until :usage), or nil.")

;; The server sends its status only to clients that ask for it.
(cl-defmethod eglot-client-capabilities :around (_server)
  "Ask the server for `fimLsp/status' notifications (others ignore the key)."
  (let ((caps (cl-call-next-method)))
    (plist-put caps :experimental (list :fimLspStatus t))))

(cl-defmethod eglot-handle-notification
  (_server (_method (eql fimLsp/status)) &key state message until usage &allow-other-keys)
  "Keep the server's STATE (with MESSAGE, UNTIL and USAGE) for the mode line."
  (setq fim-lsp--status (list :state state :message message :until until :usage usage))
  (force-mode-line-update t))

(defun fim-lsp--lighter ()
  "The mode line's lighter: the server's state, when it said one."
  (pcase (plist-get fim-lsp--status :state)
    ("busy" " fim…")
    ("error" " fim!")
    ("backoff" " fim⏸")
    ("disabled" " fim-off")
    (_ " fim")))

(defun fim-lsp-status ()
  "Show the server's state, its reason and the token usage since it started."
  (interactive)
  (let* ((s fim-lsp--status)
         (usage (plist-get s :usage)))
    (message "fim-lsp: %s%s%s — %s requests, %s prompt tokens, %s completion tokens"
             (or (plist-get s :state) "no status yet")
             (if (plist-get s :message) (concat ": " (plist-get s :message)) "")
             (if (plist-get s :until) (concat " until " (plist-get s :until)) "")
             (or (plist-get usage :requests) 0) (or (plist-get usage :promptTokens) 0)
             (or (plist-get usage :completionTokens) 0))))

(unless (assq 'fim-lsp--showing minor-mode-map-alist)
  (push (cons 'fim-lsp--showing fim-lsp-suggestion-map) minor-mode-map-alist))

(defun fim-lsp--server ()
  "The buffer's eglot server, or nil."
  (and (fboundp 'eglot-current-server) (eglot-current-server)))

(defun fim-lsp--utf16-column ()
  "Column of point in UTF-16 code units.
LSP counts these when no position encoding was negotiated."
  (/ (- (length (encode-coding-region (line-beginning-position) (point) 'utf-16 t)) 2) 2))

(defun fim-lsp--position-params ()
  "TextDocumentPositionParams of point.
Eglot's own when it has one: it knows the negotiated encoding."
  (if (fboundp 'eglot--TextDocumentPositionParams)
      (eglot--TextDocumentPositionParams)
    (list :textDocument (list :uri (eglot--path-to-uri buffer-file-name))
          :position (list :line (1- (line-number-at-pos (point) t))
                          :character (fim-lsp--utf16-column)))))

(defun fim-lsp--cancel-request ()
  "Cancel the request in flight, if any."
  (when fim-lsp--pending
    (let ((id (car fim-lsp--pending)) (server (cdr fim-lsp--pending)))
      (setq fim-lsp--pending nil)
      (when (and id server (jsonrpc-running-p server))
        (ignore-errors (jsonrpc-notify server :$/cancelRequest (list :id id)))))))

(defun fim-lsp-dismiss ()
  "Hide the suggestion and cancel the request in flight."
  (interactive)
  (cl-incf fim-lsp--generation)
  (fim-lsp--cancel-request)
  (when (timerp fim-lsp--timer) (cancel-timer fim-lsp--timer))
  (setq fim-lsp--timer nil)
  (when (overlayp fim-lsp--overlay) (delete-overlay fim-lsp--overlay))
  (setq fim-lsp--overlay nil fim-lsp--text nil fim-lsp--showing nil fim-lsp--point nil))

(defun fim-lsp--show (text)
  "Show TEXT as ghost text at point."
  (when (overlayp fim-lsp--overlay) (delete-overlay fim-lsp--overlay))
  (let ((ov (make-overlay (point) (point) nil nil t))
        (ghost (propertize text 'face 'fim-lsp-suggestion-face)))
    ;; The cursor stays before the ghost text, not after it.
    (put-text-property 0 (min 1 (length ghost)) 'cursor t ghost)
    (overlay-put ov 'after-string ghost)
    (overlay-put ov 'fim-lsp t)
    (overlay-put ov 'priority 100)
    (setq fim-lsp--overlay ov fim-lsp--text text fim-lsp--showing t)))

(defun fim-lsp--item-text (item)
  "The text ITEM adds at point, or nil.
With a range, the part of its insertText already typed between the
range start and point is dropped."
  (let* ((insert (plist-get item :insertText))
         (text (if (stringp insert) insert (plist-get insert :value)))
         (range (plist-get item :range)))
    (when (and (stringp text) range)
      (let* ((start (plist-get range :start))
             (typed (save-excursion
                      (if (fboundp 'eglot--lsp-position-to-point)
                          (buffer-substring-no-properties (eglot--lsp-position-to-point start) (point))
                        ""))))
        (setq text (and (string-prefix-p typed text) (substring text (length typed))))))
    (and (stringp text) (not (string-empty-p text)) text)))

(defun fim-lsp--on-reply (buffer generation result)
  "Show the first item of RESULT in BUFFER.
Unless the text or point moved on since GENERATION."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (when (and fim-lsp-mode (= generation fim-lsp--generation))
        (setq fim-lsp--pending nil)
        (let* ((items (cond ((vectorp result) result)
                            ((listp result) (plist-get result :items))))
               (text (and (> (length items) 0) (fim-lsp--item-text (aref items 0)))))
          (when text (fim-lsp--show text)))))))

(defun fim-lsp-complete ()
  "Ask the server for a suggestion at point now."
  (interactive)
  (let ((server (fim-lsp--server))
        (buffer (current-buffer))
        (generation fim-lsp--generation))
    (when (and server buffer-file-name (jsonrpc-running-p server))
      (fim-lsp--cancel-request)
      (setq fim-lsp--point (point))
      ;; The server must see the text as it is now.
      (when (fboundp 'eglot--signal-textDocument/didChange)
        (eglot--signal-textDocument/didChange))
      (let* ((params (append (fim-lsp--position-params) (list :context (list :triggerKind 2))))
             (args (list :success-fn (lambda (result) (fim-lsp--on-reply buffer generation result))
                         :error-fn (lambda (&rest _) ; cancelled, superseded or failed: nothing to show
                                     (when (buffer-live-p buffer)
                                       (with-current-buffer buffer
                                         (when (= generation fim-lsp--generation)
                                           (setq fim-lsp--pending nil)))))
                         :timeout-fn #'ignore
                         :timeout fim-lsp-request-timeout))
             ;; `jsonrpc-async-request' returns nil in Emacs 28; its worker returns (ID TIMER).
             (sent (if (fboundp 'jsonrpc--async-request-1)
                       (apply #'jsonrpc--async-request-1 server :textDocument/inlineCompletion params args)
                     (apply #'jsonrpc-async-request server :textDocument/inlineCompletion params args))))
        (setq fim-lsp--pending (cons (and (consp sent) (integerp (car sent)) (car sent)) server))))))

(defun fim-lsp--on-idle (buffer)
  "Timer callback: ask for a suggestion in BUFFER.
Only if it is still current and nothing shows."
  (when (and (buffer-live-p buffer) (eq buffer (current-buffer)))
    (with-current-buffer buffer
      (setq fim-lsp--timer nil)
      (when (and fim-lsp-mode (not fim-lsp--showing))
        (fim-lsp-complete)))))

(defun fim-lsp--post-command ()
  "Clear the suggestion when a command edits the buffer or moves point.
After an edit, ask again once typing pauses.  Commands that do neither
\(scrolling, \\[describe-key]) leave the suggestion alone."
  (let ((tick (buffer-chars-modified-tick)))
    (unless (memq this-command '(fim-lsp-accept fim-lsp-complete))
      (let ((edited (/= tick fim-lsp--tick))
            (moved (and fim-lsp--point (/= (point) fim-lsp--point))))
        (when (or edited moved)
          (fim-lsp-dismiss))
        (when edited
          (setq fim-lsp--timer
                (run-with-idle-timer fim-lsp-idle-delay nil #'fim-lsp--on-idle (current-buffer))))))
    (setq fim-lsp--tick tick)))

(defun fim-lsp-accept ()
  "Insert the shown suggestion."
  (interactive)
  (let ((text fim-lsp--text))
    (fim-lsp-dismiss)
    (when text (insert text))))

;;;###autoload
(define-minor-mode fim-lsp-mode
  "Ghost-text completions from the buffer's eglot server (fim-lsp).
TAB accepts the suggestion; typing anything else clears it."
  :lighter (:eval (fim-lsp--lighter))
  (if fim-lsp-mode
      (progn (setq fim-lsp--tick (buffer-chars-modified-tick))
             (add-hook 'post-command-hook #'fim-lsp--post-command nil t))
    (remove-hook 'post-command-hook #'fim-lsp--post-command t)
    (fim-lsp-dismiss)))

;;;###autoload
(defun fim-lsp-eglot-hook ()
  "For `eglot-managed-mode-hook': follow eglot managing the buffer."
  (fim-lsp-mode (if (eglot-managed-p) 1 -1)))

(provide 'fim-lsp)
;;; fim-lsp.el ends here

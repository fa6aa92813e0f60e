;;; galley.el --- Run galley expect tests from Emacs  -*- lexical-binding: t; -*-

;; Author: the galley authors
;; Package-Requires: ((emacs "26.1"))
;; Keywords: tools, c, testing

;;; Commentary:

;; galley is an expect-test framework for C.  This package runs it the way
;; Emacs runs compilers:
;;
;;   M-x galley-run               `galley run' in a compilation buffer; each
;;                                failure header "FILE:LINE: test: what"
;;                                and each compile error is a link, and
;;                                M-g n / M-g p (next-error) visit them.
;;   M-x galley-promote-at-point  `galley promote FILE:LINE' for the marker
;;                                at point (in the test file, or on a
;;                                failure header in the *galley* buffer),
;;                                then reverts the file's buffer.
;;   M-x galley-show-corrected    a diff of the current file with the
;;                                corrected copy the last run left in
;;                                _galley/: what promote would write.
;;   M-x galley-run-test-at-point `galley run FILE:LINE': only the test
;;                                at point, in the *galley* buffer.
;;   M-x galley-watch             `galley watch' in *galley-watch*: the
;;                                tests rerun on every save, and the
;;                                buffer holds the last run's report
;;                                (links as above); C-u C-u: --promote.
;;   M-x galley-watch-stop        ends it.
;;
;; Install: put this file on `load-path' and (require 'galley), or
;; (load "/path/to/galley.el").  Suggested keys:
;;   (with-eval-after-load 'cc-mode
;;     (define-key c-mode-map (kbd "C-c g r") #'galley-run)
;;     (define-key c-mode-map (kbd "C-c g t") #'galley-run-test-at-point)
;;     (define-key c-mode-map (kbd "C-c g w") #'galley-watch)
;;     (define-key c-mode-map (kbd "C-c g p") #'galley-promote-at-point)
;;     (define-key c-mode-map (kbd "C-c g d") #'galley-show-corrected))

;;; Code:

(require 'autorevert)
(require 'compile)
(require 'diff)
(require 'seq)

(defgroup galley nil
  "Run galley expect tests."
  :group 'tools
  :prefix "galley-")

(defcustom galley-program "galley"
  "The galley executable: a name found on `exec-path', or a path."
  :type 'string)

(defcustom galley-run-arguments '("--color=never")
  "Arguments given to `galley run' before any path."
  :type '(repeat string))

(defcustom galley-watch-arguments '("--color=never")
  "Arguments given to `galley watch' before any path."
  :type '(repeat string))

(defcustom galley-watch-promote nil
  "Non-nil: `galley-watch' always passes --promote, so that each run
writes the actual output into the sources (the buffers revert)."
  :type 'boolean)

(defconst galley-header-regexp
  (concat "^\\([^-+@ \t\n:][^:\t\n]*\\)"  ; FILE: not a diff line
          ":\\([1-9][0-9]*\\)"            ; :LINE
          ": \\([^: \t\n][^:\n]*\\): ")   ; : test: (what follows)
  "Matches a galley failure header, \"FILE:LINE: test: what\".
Group 1 is the file, 2 the line, 3 the test's name.  Compile errors,
\"FILE:LINE:COL: error: ...\", are left to the `gnu' entry of
`compilation-error-regexp-alist-alist'.")

(add-to-list 'compilation-error-regexp-alist-alist
             `(galley ,galley-header-regexp 1 2 nil 2))

(defun galley--root (&optional dir)
  "Return the project root above DIR: the directory holding galley.conf.
Falls back to DIR (or `default-directory'), as galley itself does."
  (let ((dir (or dir default-directory)))
    (file-name-as-directory
     (expand-file-name (or (locate-dominating-file dir "galley.conf") dir)))))

(define-compilation-mode galley-compilation-mode "galley"
  "Compilation mode for the output of `galley run'."
  (setq-local compilation-error-regexp-alist '(galley gnu gcc-include)))

;;;###autoload
(defun galley-run (&optional args)
  "Run `galley run' from the project root in a compilation buffer.
With a prefix argument, read extra ARGS (paths, -j N, --filter=RE)."
  (interactive
   (list (and current-prefix-arg (read-string "galley run " nil nil))))
  ;; Compilation buffers run their command on a pseudo-terminal: TERM=dumb
  ;; keeps galley's status line, rewritten with "\r", out of the buffer.
  (let ((default-directory (galley--root))
        (compilation-environment (cons "TERM=dumb" compilation-environment)))
    (compilation-start
     (mapconcat #'identity
                (append (list (shell-quote-argument galley-program) "run")
                        (mapcar #'shell-quote-argument galley-run-arguments)
                        (and args (list args)))
                " ")
     #'galley-compilation-mode
     (lambda (_mode) "*galley*"))))

(defun galley--target-at-point ()
  "Return (FILE . LINE) of the marker at point, or nil.
On a failure header of a galley buffer, the header's file and line;
elsewhere, the visited file and the current line (galley promote takes
any line of a marker, or of a test with output after its last marker)."
  (save-excursion
    (beginning-of-line)
    (cond ((and (derived-mode-p 'compilation-mode)
                (looking-at galley-header-regexp))
           (cons (expand-file-name (match-string-no-properties 1))
                 (string-to-number (match-string-no-properties 2))))
          (buffer-file-name
           (cons buffer-file-name (line-number-at-pos))))))

;;;###autoload
(defun galley-promote-at-point ()
  "Promote the marker at point: run `galley promote FILE:LINE'.
The buffer visiting FILE is reverted afterwards; it must be saved first,
since galley refuses a file that changed since the run."
  (interactive)
  (let* ((target (or (galley--target-at-point)
                     (user-error "No galley marker at point")))
         (file (car target))
         (buf (find-buffer-visiting file)))
    (when (and buf (buffer-modified-p buf))
      (user-error "Save %s first" (file-name-nondirectory file)))
    (let* ((default-directory (galley--root (file-name-directory file)))
           (spec (format "%s:%d" (file-relative-name file) (cdr target)))
           (status nil)
           (output (with-output-to-string
                     (setq status (call-process galley-program nil
                                                standard-output nil
                                                "promote" spec)))))
      (when buf
        (with-current-buffer buf
          (revert-buffer t t t)))
      (message "%s" (string-trim-right output))
      status)))

;;;###autoload
(defun galley-run-test-at-point ()
  "Run only the test at point: `galley run FILE:LINE' in *galley*.
In a test file, the TEST whose body holds point's line (outside any,
galley names the nearest); on a failure header of a galley buffer, that
header's test.  Galley reads the file from disk: as `compile' does, this
offers to save it first."
  (interactive)
  (let* ((target (or (galley--target-at-point)
                     (user-error "Not in a test file")))
         (file (car target))
         (buf (find-buffer-visiting file)))
    (when buf
      (save-some-buffers (not compilation-ask-about-save)
                         (lambda () (eq (current-buffer) buf))))
    (let ((default-directory (galley--root (file-name-directory file))))
      (galley-run (shell-quote-argument
                   (format "%s:%d" (file-relative-name file) (cdr target)))))))

(defun galley-corrected-file (file)
  "Return the corrected copy of FILE that `galley run' left in _galley/.
It is _galley/PATH.corrected, PATH relative to the project root (or
_galley/abs/PATH for a file outside it)."
  (let* ((file (expand-file-name file))
         (root (galley--root (file-name-directory file)))
         (rel (if (string-prefix-p root file)
                  (substring file (length root))
                (concat "abs" file))))
    (expand-file-name (concat rel ".corrected") (concat root "_galley/"))))

;;;###autoload
(defun galley-show-corrected (&optional file)
  "Show a diff of FILE (default: the visited file) with its corrected copy:
the output the last run saw at each failing marker."
  (interactive)
  (let* ((file (or file buffer-file-name (user-error "Not visiting a file")))
         (corrected (galley-corrected-file file)))
    (unless (file-exists-p corrected)
      (user-error "Nothing to promote in %s (no %s)"
                  (file-name-nondirectory file) corrected))
    (let ((buf (diff-no-select file corrected nil 'no-async)))
      (display-buffer buf)
      buf)))

;;;; galley watch

;; Into a pipe, `galley watch' prints each run as a block of lines, from
;; "galley watch: run N started" to "galley watch: run N ended: STATUS"
;; (or "... cancelled: ..." when a newer save cut it short).  The buffer
;; keeps the block of the current run only: at each "started" line the
;; output before it goes, with compilation's errors, so that next-error
;; walks the last run's failures.

(defconst galley-watch-line-regexp
  (concat "^galley watch: run \\([0-9]+\\) "
          "\\(started\\|ended\\|cancelled\\)\\(?::.*\\)?\n")
  "Matches a whole line that starts or ends a run of `galley watch'.
Group 1 is the run's number, group 2 \"started\", \"ended\" or
\"cancelled\".")

(defconst galley-watch-buffer-name "*galley-watch*"
  "The buffer of `galley-watch'.")

(defvar-local galley--watch-output-start nil
  "In the watcher's buffer, a marker where its output starts.")

(defvar-local galley--watch-reverting nil
  "Non-nil in a buffer where `galley-watch' turned `auto-revert-mode' on.")

(define-derived-mode galley-watch-mode galley-compilation-mode "galley-watch"
  "Compilation mode for `galley watch', holding the current run's report."
  ;; A compilation runs on a pseudo-terminal, where galley watch redraws a
  ;; screen; through a pipe it prints the blocks this mode reads.
  (setq-local process-connection-type nil)
  (add-hook 'compilation-start-hook #'galley--watch-started nil t)
  (add-hook 'compilation-filter-hook #'galley--watch-filter nil t)
  (add-hook 'compilation-finish-functions #'galley--watch-unfollow nil t)
  (add-hook 'kill-buffer-hook #'galley--watch-unfollow nil t))

(defun galley--watch-command (args promote)
  "Return the shell command of `galley-watch'.
ARGS, a string, goes after `galley-watch-arguments'; PROMOTE non-nil
adds --promote.  The shell execs galley: `galley-watch-stop' interrupts
the process group, and a shell that stayed as galley's parent (dash,
Debian's /bin/sh, does) would die of the interrupt before galley ends."
  (mapconcat #'identity
             (append (list "exec" (shell-quote-argument galley-program)
                           "watch")
                     (mapcar #'shell-quote-argument galley-watch-arguments)
                     (and promote '("--promote"))
                     (and args (not (equal args "")) (list args)))
             " "))

;;;###autoload
(defun galley-watch (&optional args promote)
  "Run `galley watch' from the project root in the *galley-watch* buffer.
The tests run, then run again on every save.  The buffer holds the
current run's report, its failures and compile errors being links as in
`galley-run'.  While it runs, the project's buffers are in
`auto-revert-mode' and revert when a run ends, so that what --promote
writes appears.  With a prefix argument, read extra ARGS (FILE:LINE to
follow one test, --filter=RE); with two (C-u C-u), or when
`galley-watch-promote' is set, pass --promote (PROMOTE non-nil).
`galley-watch-stop' ends it."
  (interactive
   (list (and current-prefix-arg (read-string "galley watch " nil nil))
         (equal current-prefix-arg '(16))))
  (let ((default-directory (galley--root))
        (compilation-environment (cons "TERM=dumb" compilation-environment)))
    (compilation-start (galley--watch-command
                        args (or promote galley-watch-promote))
                       #'galley-watch-mode
                       (lambda (_mode) galley-watch-buffer-name))))

(defun galley-watch-stop ()
  "End the watcher that `galley-watch' started, as Ctrl-C would."
  (interactive)
  (let* ((buf (get-buffer galley-watch-buffer-name))
         (proc (and buf (get-buffer-process buf))))
    (unless proc
      (user-error "No galley watch is running"))
    (interrupt-process proc)))

(defun galley--watch-buffers ()
  "Return the buffers visiting files under the watcher's project.
Called in the watcher's buffer, whose directory is the project root."
  (let ((root default-directory))
    (seq-filter (lambda (buf)
                  (let ((file (buffer-file-name buf)))
                    (and file (file-in-directory-p file root))))
                (buffer-list))))

(defun galley--watch-follow (buf)
  "Turn `auto-revert-mode' on in BUF, unless something already reverts it."
  (with-current-buffer buf
    (unless (or auto-revert-mode global-auto-revert-mode)
      (auto-revert-mode 1)
      (setq galley--watch-reverting t))))

(defun galley--watch-find-file ()
  "Follow a file of the watched project: on `find-file-hook'."
  (let ((watch (get-buffer galley-watch-buffer-name))
        (file buffer-file-name))
    (when (and watch (get-buffer-process watch) file
               (file-in-directory-p
                file (buffer-local-value 'default-directory watch)))
      (galley--watch-follow (current-buffer)))))

(defun galley--watch-started (_proc)
  "Note where the watcher's output begins, and follow the project's buffers.
On `compilation-start-hook'."
  (setq galley--watch-output-start (copy-marker (point-max)))
  (mapc #'galley--watch-follow (galley--watch-buffers))
  (add-hook 'find-file-hook #'galley--watch-find-file))

(defun galley--watch-unfollow (&rest _)
  "When the watcher ends: undo what `galley--watch-started' did."
  (remove-hook 'find-file-hook #'galley--watch-find-file)
  (dolist (buf (buffer-list))
    (when (buffer-local-value 'galley--watch-reverting buf)
      (with-current-buffer buf
        (auto-revert-mode -1)
        (setq galley--watch-reverting nil)))))

(defun galley--watch-filter ()
  "Act on the lines that begin and end a run in the output just inserted.
On `compilation-filter-hook'; only whole lines count."
  (save-excursion
    (goto-char compilation-filter-start)
    (forward-line 0)
    (while (re-search-forward galley-watch-line-regexp nil t)
      (if (equal (match-string 2) "started")
          (galley--watch-clear (match-beginning 0))
        (galley--watch-revert)))))

(defun galley--watch-clear (pos)
  "Delete the watcher's output before POS, where a new run begins."
  (when galley--watch-output-start
    (let ((inhibit-read-only t))
      ;; compilation--flush-parse, on `before-change-functions', has what
      ;; is left parsed again, and counted anew from here.
      (delete-region galley--watch-output-start pos))
    ;; Errors are cached by file and line, with markers in the files'
    ;; buffers that follow their edits: the new run's lines are new.
    (compilation-forget-errors)
    (setq compilation-messages-start nil
          compilation-num-errors-found 0
          compilation-num-warnings-found 0
          compilation-num-infos-found 0)))

(defun galley--watch-revert ()
  "Revert the project's unmodified buffers whose files changed on disk.
Called when a run ends, after --promote wrote; `auto-revert-mode' would
do it too, seconds later."
  (dolist (buf (galley--watch-buffers))
    (with-current-buffer buf
      (unless (or (buffer-modified-p)
                  (verify-visited-file-modtime buf)
                  (not (file-exists-p buffer-file-name)))
        (revert-buffer t t t)))))

(provide 'galley)
;;; galley.el ends here

;;; emacs-check.el --- drives examples/editors/galley.el in emacs --batch  -*- lexical-binding: t; -*-

;; Used by tests/e2e/editors_test.c, from a project directory, as
;;   emacs --batch -Q -l galley.el -l emacs-check.el -f galley-check-STEP
;; with GALLEY_BIN naming the galley under test.  Each step prints what a
;; user would see, one fact a line, for the test's expectations.

;;; Code:

(setq galley-program (getenv "GALLEY_BIN"))

(defun galley-check--line ()
  "Return the text of the current line."
  (buffer-substring-no-properties (line-beginning-position)
                                  (line-end-position)))

(defvar galley-check--root default-directory
  "The project directory, where the check starts.")

(defun galley-check--run ()
  "M-x galley-run; returns the *galley* buffer once galley has ended."
  (let ((buf (galley-run)))
    (while (get-buffer-process buf)
      (accept-process-output nil 0.1))
    buf))

(defun galley-check--errors (buf)
  "Return the positions of the errors in BUF, as next-error visits them."
  (with-current-buffer buf
    (goto-char (point-min))
    (let (found)
      (condition-case nil
          (while t
            (compilation-next-error 1)
            (push (point) found))
        (error nil))
      (nreverse found))))

(defun galley-check-run ()
  "M-x galley-run, then visit each error as next-error would: print the
line of the *galley* buffer, and where in which file it lands."
  (let ((buf (galley-check--run)))
    (dolist (pos (galley-check--errors buf))
      (with-current-buffer buf
        (goto-char pos)
        (let ((header (galley-check--line)))
          (compile-goto-error)          ; now in the file, at the line
          (princ (format "%s\n  -> %s:%d:%d: %s\n" header
                         (file-relative-name buffer-file-name
                                             galley-check--root)
                         (line-number-at-pos) (1+ (current-column))
                         (string-trim (galley-check--line)))))))))

(defun galley-check-corrected ()
  "M-x galley-show-corrected in tests/a_test.c: print the changed lines."
  (find-file "tests/a_test.c")
  (with-current-buffer (galley-show-corrected)
    (goto-char (point-min))
    (while (not (eobp))
      (when (and (looking-at "^[-+]") (not (looking-at "^\\(---\\|[+][+][+]\\) ")))
        (princ (concat (galley-check--line) "\n")))
      (forward-line 1))))

(defun galley-check-promote ()
  "Promote one marker from the *galley* buffer, on its failure header,
and one from the source, inside the marker; print the source after each."
  (let ((buf (galley-check--run)))
    (with-current-buffer buf
      (goto-char (point-min))
      (search-forward ": sum: mismatch")
      (princ (format "status %s\n" (galley-promote-at-point)))))
  (find-file "tests/a_test.c")
  (goto-char (point-min))
  (search-forward "goodbye")            ; in greeting's marker, moved up
  (princ (format "status %s\n" (galley-promote-at-point)))
  (princ (buffer-substring-no-properties (point-min) (point-max))))

(defun galley-check--print-errors (buf)
  "Visit each error of BUF as next-error would: print the line of BUF,
and where in which file it lands."
  (dolist (pos (galley-check--errors buf))
    (with-current-buffer buf
      (goto-char pos)
      (let ((header (galley-check--line)))
        (save-excursion
          (compile-goto-error)          ; now in the file, at the line
          (princ (format "%s\n  -> %s:%d:%d: %s\n" header
                         (file-relative-name buffer-file-name
                                             galley-check--root)
                         (line-number-at-pos) (1+ (current-column))
                         (string-trim (galley-check--line)))))))))

(defun galley-check--clean (text)
  "Return TEXT with what changes from run to run masked: the galley under
test as GALLEY, durations as \"T s\", and no \" at DATE\" after a status."
  (replace-regexp-in-string
   " at [A-Z][a-z][a-z] .*" ""
   (replace-regexp-in-string
    "[0-9.]+ s\\b" "T s"
    (replace-regexp-in-string (regexp-quote galley-program) "GALLEY"
                              text t t))))

(defun galley-check--wait (buf regexp)
  "Wait until BUF holds a line matching REGEXP, or its process ended, or
120 s passed (a safety, never the assertion).  Return that line, masked
by `galley-check--clean', or nil after printing what was missed."
  (let ((deadline (+ (float-time) 120))
        (after-exit 20)                 ; rounds for the sentinel's message
        found)
    (while (and (not (setq found
                           (with-current-buffer buf
                             (save-excursion
                               (goto-char (point-min))
                               (and (re-search-forward regexp nil t)
                                    (galley-check--line))))))
                (or (get-buffer-process buf)
                    (>= (setq after-exit (1- after-exit)) 0))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (if found
        (galley-check--clean found)
      (princ (format "[no %s in %s]\n" regexp (buffer-name buf)))
      nil)))

(defun galley-check--watch-lines (buf)
  "Print the lines of BUF that the watcher printed about its runs."
  (with-current-buffer buf
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward "^galley watch: .*" nil t)
        (princ (concat (galley-check--clean (match-string 0)) "\n"))))))

;; Batch Emacs has no command loop to take file-notify events: one left
;; pending keeps process sentinels from running.  auto-revert-mode polls
;; instead, seldom, so that what reverts a buffer in the check is
;; galley-watch itself, at the end of a run.
(setq auto-revert-use-notify nil
      auto-revert-interval 3600)

(defun galley-check-watch ()
  "M-x galley-watch on the project with tests/a_test.c visited: print the
errors of run 1 and where they land; edit and save the file, then the
same for run 2; promote from outside and show that the buffer reverted
at the end of run 3; stop the watcher; M-x galley-run-test-at-point in
a test, the file unsaved."
  (princ (galley-check--clean
          (format "command: %s\nwith C-u C-u and -j 2: %s\n"
                  (galley--watch-command nil nil)
                  (galley--watch-command "-j 2" t))))
  (let ((src (find-file "tests/a_test.c"))
        (buf (galley-watch)))
    (galley-check--wait buf "^galley watch: run 1 ended")
    (galley-check--watch-lines buf)
    (galley-check--print-errors buf)
    (princ (format "auto-revert-mode in a_test.c: %s\n"
                   (buffer-local-value 'auto-revert-mode src)))
    ;; greeting passes, and sum moves two lines down.
    (with-current-buffer src
      (goto-char (point-min))
      (insert "// edited\n\n")
      (search-forward "goodbye")
      (delete-char -7)
      (insert "hello")
      (save-buffer))
    (galley-check--wait buf "^galley watch: run 2 ended")
    (galley-check--watch-lines buf)
    (galley-check--print-errors buf)
    ;; A promote from outside Emacs, as the watcher's --promote does.
    (call-process galley-program nil nil nil "promote")
    (galley-check--wait buf "^galley watch: run 3 ended")
    (galley-check--watch-lines buf)
    (galley-check--print-errors buf)
    (princ (with-current-buffer src
             (goto-char (point-min))
             (search-forward "EXPECT")
             (format "a_test.c after run 3: %s\n" (galley-check--line))))
    (galley-watch-stop)
    (princ (format "%s\nauto-revert-mode in a_test.c: %s\n"
                   (galley-check--wait
                    buf "^galley-watch \\(exited\\|interrupt\\|finished\\)")
                   (buffer-local-value 'auto-revert-mode src)))
    ;; sum fails again, unsaved: galley-run-test-at-point saves it (without
    ;; asking, as `compile' does with this setting).  In sum's body, only
    ;; sum runs: b_test.c, which does not compile, is not built.
    (with-current-buffer src
      (goto-char (point-min))
      (search-forward "1 + 2")
      (delete-char -1)
      (insert "1")
      (let* ((compilation-ask-about-save nil)
             (run (galley-run-test-at-point)))
        (galley-check--wait run "^galley \\(exited\\|finished\\)")
        (with-current-buffer run
          (goto-char (point-min))
          (forward-line 3)
          (princ (galley-check--clean
                  (buffer-substring-no-properties (point) (point-max)))))))))

;;; emacs-check.el ends here

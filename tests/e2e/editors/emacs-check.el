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

;;; emacs-check.el ends here

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
;;
;; Install: put this file on `load-path' and (require 'galley), or
;; (load "/path/to/galley.el").  Suggested keys:
;;   (with-eval-after-load 'cc-mode
;;     (define-key c-mode-map (kbd "C-c g r") #'galley-run)
;;     (define-key c-mode-map (kbd "C-c g p") #'galley-promote-at-point)
;;     (define-key c-mode-map (kbd "C-c g d") #'galley-show-corrected))

;;; Code:

(require 'compile)
(require 'diff)

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

(provide 'galley)
;;; galley.el ends here

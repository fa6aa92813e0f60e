" compiler/galley.vim: `:compiler galley` for galley expect tests: `:make`
" runs `galley run` and the quickfix list gets each failure header,
" "FILE:LINE: test: what", and each compiler error of a test file.
" g:galley_program names the galley executable (default: galley).

if exists("current_compiler")
  finish
endif
let current_compiler = "galley"

if exists(":CompilerSet") != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

" :make reads galley through a pipe, so galley draws no status line;
" --color=never keeps escapes out when 'shellpipe' is a terminal's.
execute 'CompilerSet makeprg=' .
      \ escape(get(g:, 'galley_program', 'galley'), ' \|"') .
      \ '\ run\ --color=never'

" Diff lines (-, +, space, @@) and gcc's source excerpts are never
" locations, whatever they hold; compiler messages carry a column and a
" severity; galley's headers, and galley.conf's errors, FILE:LINE: text.
CompilerSet errorformat=
      \%-G-%.%#,
      \%-G+%.%#,
      \%-G@%.%#,
      \%-G\ %.%#,
      \%f:%l:%c:\ %trror:\ %m,
      \%f:%l:%c:\ %tarning:\ %m,
      \%f:%l:%c:\ %m,
      \%f:%l:\ %m,
      \%-G%.%#

let &cpo = s:cpo_save
unlet s:cpo_save

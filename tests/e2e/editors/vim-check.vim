" vim-check.vim: helpers for driving examples/editors/vim in `vim -es`,
" for tests/e2e/editors_test.c. Output goes through :print, which ex mode
" writes to stdout (writefile() on /dev/stdout would truncate a file).

" Prints lines in ex mode, through a scratch buffer.
function! s:Print(lines) abort
  if empty(a:lines)
    return
  endif
  new
  setlocal buftype=nofile
  call setline(1, a:lines)
  %print
  bwipe!
endfunction

" Prints the valid entries of the quickfix list: FILE:LINE:COL: TYPE TEXT;
" with an argument 1, also the text of the others, indented, but for
" empty ones.
function! GalleyCheckQuickfix(...) abort
  let l:lines = []
  for l:e in getqflist()
    if l:e.valid
      call add(l:lines, printf('%s:%d:%d: %s %s', bufname(l:e.bufnr),
            \ l:e.lnum, l:e.col, l:e.type ==# '' ? '-' : l:e.type, l:e.text))
    elseif a:0 && a:1 && l:e.text !=# ''
      call add(l:lines, '  ' . l:e.text)
    endif
  endfor
  call s:Print(l:lines)
endfunction

" Waits until the quickfix list's title matches pattern, 120 s at most (a
" safety, never the assertion); prints the title, durations as "T s".
function! GalleyCheckWaitTitle(pattern) abort
  let l:start = reltime()
  while getqflist({'title': 1}).title !~# a:pattern
        \ && reltimefloat(reltime(l:start)) < 120
    sleep 10m
  endwhile
  let l:title = getqflist({'title': 1}).title
  call s:Print([l:title =~# a:pattern
        \ ? substitute(l:title, '[0-9.]\+ s\>', 'T s', 'g')
        \ : printf('[no %s: the title is "%s"]', a:pattern, l:title)])
endfunction

" Returns the names of this editor's child processes (from /proc).
function! s:Children() abort
  let l:names = []
  for l:file in glob('/proc/' . getpid() . '/task/*/children', 0, 1)
    for l:pid in split(join(readfile(l:file)))
      let l:comm = '/proc/' . l:pid . '/comm'
      call extend(l:names, filereadable(l:comm) ? readfile(l:comm) : [])
    endfor
  endfor
  return l:names
endfunction

" Waits until this editor has no child process named name, 120 s at most;
" prints how many are left.
function! GalleyCheckWaitGone(name) abort
  let l:start = reltime()
  while index(s:Children(), a:name) >= 0
        \ && reltimefloat(reltime(l:start)) < 120
    sleep 10m
  endwhile
  call s:Print([printf('%s processes left: %d', a:name,
        \ count(s:Children(), a:name))])
endfunction

" :GalleyWatch on the project with tests/a_test.c open: the quickfix list
" at the end of run 1; edit and write the file, then the list of run 2;
" promote from outside and show that the buffer was reloaded at the end
" of run 3; stop the watcher; :GalleyRunHere inside a test and outside.
function! GalleyCheckWatch() abort
  edit tests/a_test.c
  GalleyWatch
  call GalleyCheckWaitTitle('run 1 ended')
  call GalleyCheckQuickfix()
  " greeting passes, and sum moves two lines down.
  call append(0, ['// edited', ''])
  silent %s/goodbye/hello/
  silent write
  call GalleyCheckWaitTitle('run 2 ended')
  call GalleyCheckQuickfix()
  " A promote from outside, as the watcher's --promote does.
  call system(shellescape(g:galley_program) . ' promote')
  call GalleyCheckWaitTitle('run 3 ended')
  call GalleyCheckQuickfix()
  call s:Print(['a_test.c after run 3: ' . getline(search('EXPECT', 'nw'))])
  GalleyWatchStop
  call GalleyCheckWaitGone('galley')
  " sum fails again. In its body, only sum runs: b_test.c, which does
  " not compile, is not built. Line 1 is outside any test.
  set shellpipe=>%s\ 2>&1
  silent %s/1 + 2/1 + 1/
  silent write
  silent GalleyRunHere
  call GalleyCheckQuickfix(1)
  1
  silent GalleyRunHere
  call GalleyCheckQuickfix(1)
endfunction

" Prints the current buffer.
function! GalleyCheckBuffer() abort
  call s:Print(getline(1, '$'))
endfunction

" Prints 'makeprg' with the galley under test shown as GALLEY.
function! GalleyCheckMakeprg() abort
  call s:Print(['makeprg=' . substitute(&makeprg,
        \ '\V' . escape(g:galley_program, '\'), 'GALLEY', '')])
endfunction

" Prints the current window's buffer, the number of windows, and whether
" the window is in diff mode.
function! GalleyCheckWindow() abort
  call s:Print([printf('%s, %d windows, diff %d', fnamemodify(bufname(), ':.'), winnr('$'),
        \ &diff)])
endfunction

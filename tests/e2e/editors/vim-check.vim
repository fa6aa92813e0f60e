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

" Prints the valid entries of the quickfix list: FILE:LINE:COL: TYPE TEXT.
function! GalleyCheckQuickfix() abort
  let l:lines = []
  for l:e in getqflist()
    if l:e.valid
      call add(l:lines, printf('%s:%d:%d: %s %s', bufname(l:e.bufnr),
            \ l:e.lnum, l:e.col, l:e.type ==# '' ? '-' : l:e.type, l:e.text))
    endif
  endfor
  call s:Print(l:lines)
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

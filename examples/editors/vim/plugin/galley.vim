" plugin/galley.vim: galley expect tests in Vim and Neovim.
"   :GalleyRun [ARGS]   :compiler galley, then :make [ARGS] (quickfix)
"   :GalleyPromote      promote the marker at the cursor line:
"                       `galley promote FILE:LINE`, then reload the file
"   :GalleyCorrected    diff the file with the copy the last run left in
"                       _galley/: what promote would write
" g:galley_program names the galley executable (default: galley).

if exists("g:loaded_galley")
  finish
endif
let g:loaded_galley = 1

" Returns the directory holding galley.conf above the current file, or
" the file's own directory, as galley itself decides the project root.
function! s:Root() abort
  let l:dir = expand('%:p:h')
  let l:conf = findfile('galley.conf', fnameescape(l:dir) . ';')
  return l:conf ==# '' ? l:dir : fnamemodify(l:conf, ':p:h')
endfunction

" Runs galley promote for the marker at the cursor line of the current
" file. The buffer must be saved: galley refuses a file changed since the
" run, and the file is reloaded after the promotion.
function! s:Promote() abort
  if &modified
    echohl ErrorMsg | echo 'galley: save the file first' | echohl None
    return
  endif
  let l:target = expand('%:p') . ':' . line('.')
  let l:cmd = 'cd ' . shellescape(s:Root()) . ' && ' .
        \ shellescape(get(g:, 'galley_program', 'galley')) .
        \ ' promote ' . shellescape(l:target) . ' 2>&1'
  let l:out = system(l:cmd)
  let l:view = winsaveview()
  silent edit
  call winrestview(l:view)
  echo substitute(l:out, '\n\+$', '', '')
endfunction

" Opens the copy of the current file that the last run left in _galley/
" (what promote would write) in a diff split beside it.
function! s:Corrected() abort
  let l:root = s:Root()
  let l:file = expand('%:p')
  let l:rel = stridx(l:file, l:root . '/') == 0
        \ ? strpart(l:file, strlen(l:root) + 1) : 'abs' . l:file
  let l:corrected = l:root . '/_galley/' . l:rel . '.corrected'
  if !filereadable(l:corrected)
    echohl ErrorMsg | echo 'galley: nothing to promote in this file'
    echohl None
    return
  endif
  execute 'vertical diffsplit ' . fnameescape(l:corrected)
endfunction

command! -nargs=* GalleyRun compiler galley | make <args>
command! -bar GalleyPromote call s:Promote()
command! -bar GalleyCorrected call s:Corrected()

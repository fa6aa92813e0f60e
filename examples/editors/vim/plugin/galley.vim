" plugin/galley.vim: galley expect tests in Vim and Neovim.
"   :GalleyRun [ARGS]   :compiler galley, then :make [ARGS] (quickfix)
"   :GalleyPromote      promote the marker at the cursor line:
"                       `galley promote FILE:LINE`, then reload the file
"   :GalleyCorrected    diff the file with the copy the last run left in
"                       _galley/: what promote would write
"   :GalleyRunHere      only the test at the cursor line: `galley run
"                       FILE:LINE` through :make (quickfix)
"   :GalleyWatch [ARGS] `galley watch` as a job: at the end of each run,
"                       its failures in a quickfix list of their own, and
"                       the project's unmodified buffers reloaded
"   :GalleyWatchStop    end it
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

" Runs the test whose body holds the cursor line, with :make. Galley
" reads the file from disk: it must be saved, unless 'autowrite' lets
" :make save it.
function! s:RunHere() abort
  if &modified && !&autowrite
    echohl ErrorMsg | echo 'galley: save the file first' | echohl None
    return
  endif
  compiler galley
  execute 'make ' . shellescape(expand('%:p') . ':' . line('.'), 1)
endfunction

" ---- galley watch ----
"
" Into a pipe (a job's output), galley watch prints each run as a block
" of lines from "galley watch: run N started" to "galley watch: run N
" ended: STATUS", or "... cancelled: ..." when a newer save cut the run
" short and the next block follows. Each watcher is a dict, given to its
" job's callbacks: the job, the project root, compiler/galley.vim's
" 'errorformat', the lines of the current block, the id of the quickfix
" list it fills, and the unfinished line of each of Neovim's streams.
" s:watch is the current one.
let s:watch = {}

" Returns the 'errorformat' of compiler/galley.vim, leaving the current
" buffer's compiler settings as they were.
function! s:Errorformat() abort
  let l:efm = &l:errorformat
  let l:makeprg = &l:makeprg
  let l:compiler = get(b:, 'current_compiler', v:null)
  compiler galley
  let l:galley = &l:errorformat
  let &l:errorformat = l:efm
  let &l:makeprg = l:makeprg
  if l:compiler is v:null
    unlet! b:current_compiler
  else
    let b:current_compiler = l:compiler
  endif
  return l:galley
endfunction

" Starts galley watch ARGS (a list) from the project root, ending the
" watcher started before.
function! s:WatchStart(args) abort
  call s:WatchStop()
  let l:cmd = [get(g:, 'galley_program', 'galley'), 'watch', '--color=never']
        \ + a:args
  let l:w = {'root': s:Root(), 'efm': s:Errorformat(), 'lines': [],
        \ 'qfid': 0, 'partial': {}}
  if has('nvim')
    let l:w.job = jobstart(l:cmd, {'cwd': l:w.root,
          \ 'on_stdout': function('s:OnOutput', [l:w]),
          \ 'on_stderr': function('s:OnOutput', [l:w]),
          \ 'on_exit': {job, status, event -> s:OnExit(l:w, status)}})
    let l:started = l:w.job > 0
  else
    let l:w.job = job_start(l:cmd, {'cwd': l:w.root,
          \ 'in_io': 'null', 'err_io': 'out',
          \ 'out_cb': {channel, line -> s:OnLine(l:w, line)},
          \ 'exit_cb': {job, status -> s:OnExit(l:w, status)}})
    let l:started = job_status(l:w.job) ==# 'run'
  endif
  if l:started
    let s:watch = l:w
  else
    echohl ErrorMsg | echo 'galley: cannot start ' . l:cmd[0] | echohl None
  endif
endfunction

" Ends the current watcher, as Ctrl-C would.
function! s:WatchStop() abort
  if has_key(s:watch, 'job')
    if has('nvim')
      call jobstop(s:watch.job)
    else
      call job_stop(s:watch.job, 'int')
    endif
    let s:watch = {}
  endif
endfunction

" Neovim's output callback for watcher w: data holds whole lines but for
" its first item, which ends the line the last call left unfinished, and
" its last, which is unfinished ('' after a newline).
function! s:OnOutput(w, job, data, event) abort
  let l:lines = copy(a:data)
  let l:lines[0] = get(a:w.partial, a:event, '') . l:lines[0]
  let a:w.partial[a:event] = remove(l:lines, -1)
  for l:line in l:lines
    call s:OnLine(a:w, l:line)
  endfor
endfunction

" Takes one line of watcher w's output.
function! s:OnLine(w, line) abort
  if a:line =~# '^galley watch: run \d\+ started'
    let a:w.lines = []
  elseif a:line =~# '^galley watch: run \d\+ ended'
    call s:SetQuickfix(a:w, a:line)
    call s:Reload(a:w.root)
    if exists('#User#GalleyWatchEnded')
      doautocmd <nomodeline> User GalleyWatchEnded
    endif
  elseif a:line =~# '^galley watch: run \d\+ cancelled'
    " The next run reports: its list replaces the last whole run's.
    let a:w.lines = []
  else
    call add(a:w.lines, a:line)
  endif
endfunction

" Fills watcher w's quickfix list from the run's lines: a new list at
" first, then the same list wherever it is in the stack (:colder); its
" title is the line that ended the run.
function! s:SetQuickfix(w, title) abort
  let l:what = {'lines': a:w.lines, 'efm': a:w.efm, 'title': a:title}
  if a:w.qfid && getqflist({'id': a:w.qfid}).id == a:w.qfid
    call setqflist([], 'r', extend(l:what, {'id': a:w.qfid}))
  else
    call setqflist([], ' ', l:what)
    let a:w.qfid = getqflist({'id': 0}).id
  endif
  let a:w.lines = []
endfunction

" Reloads the unmodified buffers under root whose files changed on disk
" (--promote writes them), setting their 'autoread' so that :checktime
" reloads rather than asks.
function! s:Reload(root) abort
  for l:buf in getbufinfo({'buflisted': 1})
    if !l:buf.changed && stridx(l:buf.name, a:root . '/') == 0
      call setbufvar(l:buf.bufnr, '&autoread', 1)
      execute 'checktime' l:buf.bufnr
    endif
  endfor
endfunction

" Watcher w ended: forget it, and say so unless Ctrl-C (130) or
" :GalleyWatchStop (SIGINT in Vim, SIGTERM in Neovim: 143) ended it.
function! s:OnExit(w, status) abort
  if s:watch is a:w
    let s:watch = {}
  endif
  if a:status != 130 && a:status != 143
    echomsg 'galley watch: exited with status ' . a:status
  endif
endfunction

command! -nargs=* GalleyRun compiler galley | make <args>
command! -bar GalleyRunHere call s:RunHere()
command! -nargs=* GalleyWatch call s:WatchStart([<f-args>])
command! -bar GalleyWatchStop call s:WatchStop()
command! -bar GalleyPromote call s:Promote()
command! -bar GalleyCorrected call s:Corrected()

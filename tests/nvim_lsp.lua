-- nvim_lsp.lua — run by tests/test_nvim.sh inside `nvim --headless`: Neovim's own LSP client
-- starts `kfplint lsp`, opens a broken spec, waits for the diagnostics, applies a quick fix and
-- then the fix-all code action, and writes what it saw to $OUT (one `key value` line each) for
-- the shell test to compare with the CLI. Never hangs: every wait is bounded.
local out = assert(io.open(os.getenv('OUT'), 'w'))
local function say(k, v) out:write(k .. ' ' .. tostring(v) .. '\n') out:flush() end
local function finish(code) out:close() vim.cmd((code == 0 and 'qa!' or 'cq!')) end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('FILE')))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = 'kfplint', cmd = { os.getenv('KFPLINT'), 'lsp' },
                                    root_dir = vim.fn.getcwd() })
  assert(id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, id)
  local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  say('diagnostics_arrived', got)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    say('diagnostic', string.format('%d:%d:%s:%s', d.lnum + 1, d.col + 1, d.code or lsp.code or '?', d.source or '?'))
  end
  local client = vim.lsp.get_client_by_id(id)
  say('offset_encoding', client.offset_encoding)
  -- the code actions over the whole buffer, as `:lua vim.lsp.buf.code_action()` asks for them
  local lines = vim.api.nvim_buf_line_count(buf)
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf),
                   range = { start = { line = 0, character = 0 }, ['end'] = { line = lines, character = 0 } },
                   context = { diagnostics = {} } }
  local res = client.request_sync('textDocument/codeAction', params, 20000, buf)
  assert(res and res.result, 'no code actions: ' .. vim.inspect(res and res.err))
  local fixall
  for _, a in ipairs(res.result) do
    say('action', a.kind .. ':' .. (a.isPreferred and 'preferred' or 'plain'))
    if a.kind == 'source.fixAll.kfplint' then fixall = a end
  end
  assert(fixall, 'no fix-all action')
  vim.lsp.util.apply_workspace_edit(fixall.edit, client.offset_encoding)
  vim.cmd('write! ' .. vim.fn.fnameescape(os.getenv('FIXED')))
  vim.lsp.stop_client(id)
end)
if not ok then say('error', err) finish(1) else finish(0) end

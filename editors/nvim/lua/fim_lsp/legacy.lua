-- fim-lsp for Neovim 0.7–0.10: popup completion through omnifunc (<C-x><C-o>), no lspconfig needed.
--   require('fim_lsp.legacy').setup({ cmd = { 'fim-lsp', '--stdio' }, settings = { model = '...' } })
-- One server per project root (the directory holding .git, else the file's directory).
local M = {}
local status = require('fim_lsp.status')

local clients = {} -- root directory -> client id

local function root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end
  return dir
end

-- The popup inserts a multi-line item with each newline turned into NUL. When such an item was
-- chosen, put the item's real lines in place of what the popup inserted.
local function fix_multiline(bufnr)
  local done = vim.v.completed_item
  if type(done) ~= 'table' or type(done.user_data) ~= 'table' then return end
  local lsp = done.user_data.nvim and done.user_data.nvim.lsp
  local item = lsp and lsp.completion_item
  if type(item) ~= 'table' or item.insertTextFormat == 2 then return end
  local text = (item.textEdit and item.textEdit.newText) or item.insertText
  if type(text) ~= 'string' or not text:find('\n', 1, true) then return end
  local word = done.word:gsub('\n', '\0')
  local cursor = vim.api.nvim_win_get_cursor(0)
  local row, col = cursor[1], cursor[2]
  local line = vim.api.nvim_buf_get_lines(bufnr, row - 1, row, false)[1] or ''
  local start = col - #word
  -- The inserted word (NULs for newlines) must end at the cursor.
  if start < 0 or line:sub(start + 1, col) ~= word then return end
  local lines = vim.split(text, '\n', true)
  local function apply()
    vim.api.nvim_buf_set_text(bufnr, row - 1, start, row - 1, col, lines)
    vim.api.nvim_win_set_cursor(0, { row + #lines - 1, #lines[#lines] })
  end
  if not pcall(apply) then vim.schedule(apply) end -- textlock in some versions: apply right after
end

local function on_attach(client, bufnr, opts)
  if opts.omnifunc ~= false then
    vim.api.nvim_buf_set_option(bufnr, 'omnifunc', 'v:lua.vim.lsp.omnifunc')
  end
  vim.api.nvim_create_autocmd('CompleteDone', {
    group = vim.api.nvim_create_augroup('fim_lsp_buf_' .. bufnr, { clear = true }),
    buffer = bufnr,
    callback = function() fix_multiline(bufnr) end,
  })
  if opts.on_attach then opts.on_attach(client, bufnr) end
end

local function attach(bufnr, opts)
  if vim.api.nvim_buf_get_option(bufnr, 'buftype') ~= '' then return end
  local root = root_of(bufnr)
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client({
      name = 'fim_lsp',
      cmd = opts.cmd or { 'fim-lsp', '--stdio' },
      root_dir = root,
      init_options = opts.settings,
      settings = { fimLsp = opts.settings or {} },
      capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), status.capabilities),
      handlers = { ['fimLsp/status'] = status.handler },
      on_attach = function(c, b) on_attach(c, b, opts) end,
    })
    if not id then return end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

---@param opts table { cmd?, settings?, filetypes?, omnifunc? (default true), on_attach? }
function M.setup(opts)
  opts = opts or {}
  status.define_command()
  require('fim_lsp.doctor').define_command(opts.cmd, opts.settings)
  local group = vim.api.nvim_create_augroup('fim_lsp', { clear = true })
  local pattern = opts.filetypes and table.concat(opts.filetypes, ',') or '*'
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = pattern,
    callback = function(args) attach(args.buf, opts) end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local ft = vim.api.nvim_buf_get_option(bufnr, 'filetype')
    if vim.api.nvim_buf_is_loaded(bufnr) and ft ~= '' and (not opts.filetypes or vim.tbl_contains(opts.filetypes, ft)) then
      attach(bufnr, opts)
    end
  end
end

return M

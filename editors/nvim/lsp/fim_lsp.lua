-- fim-lsp for Neovim 0.11+: vim.lsp.config('fim_lsp', {...}) merges into this, vim.lsp.enable('fim_lsp') starts it.
-- Put this directory (editors/nvim) on 'runtimepath', or copy this file to ~/.config/nvim/lsp/.
--
-- Settings follow the server schema (endpoint, model, template, request, context, suggestion,
-- debounceMs). They are sent as initializationOptions, answered to workspace/configuration
-- (section "fimLsp") and pushed with workspace/didChangeConfiguration; only what you set is sent,
-- the server's defaults and its --config FILE cover the rest.
return {
  cmd = { 'fim-lsp', '--stdio' },
  -- No filetypes: every normal file buffer gets completions. Restrict with
  -- vim.lsp.config('fim_lsp', { filetypes = { 'lua', 'python' } }).
  root_markers = { '.git' },
  init_options = vim.empty_dict(),
  settings = { fimLsp = vim.empty_dict() },
  before_init = function(params, config)
    -- One table to set: settings.fimLsp also becomes initializationOptions when those are empty.
    local fim = config.settings and config.settings.fimLsp
    if fim and next(fim) ~= nil and (params.initializationOptions == nil or next(params.initializationOptions) == nil) then
      params.initializationOptions = fim
    end
  end,
}

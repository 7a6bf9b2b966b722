#!/bin/sh
# Installs the photoscan desktop bundle for the current user, with no network and no root:
#   the program     -> ${XDG_DATA_HOME:-~/.local/share}/photoscan/app/  (this folder's photoscan/)
#   the command     -> ~/.local/bin/photoscan (a symbolic link)
#   launcher entry  -> ${XDG_DATA_HOME:-~/.local/share}/applications/io.github.photoscan.photoscan.desktop
#   icons           -> ${XDG_DATA_HOME:-~/.local/share}/icons/hicolor/*/apps/
#   AppStream data  -> ${XDG_DATA_HOME:-~/.local/share}/metainfo/
# Run it from the unpacked archive:  ./install.sh          (./install.sh --uninstall removes it all)
# photoscan's own cache, settings and logs (~/.cache/photoscan, ~/.config/photoscan, …) are
# left alone by --uninstall: remove them by hand if you want them gone.
set -eu

APP_ID=io.github.photoscan.photoscan
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
app=$data/photoscan/app

refresh() {
  # Let the desktop see the new entry and icons at once; harmless when the tools are missing.
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -f -t "$data/icons/hicolor" || true
}

uninstall() {
  [ -L "$bin/photoscan" ] && [ "$(readlink "$bin/photoscan")" = "$app/photoscan" ] && rm -f "$bin/photoscan"
  rm -rf "$app"
  rmdir "$data/photoscan" 2>/dev/null || true
  rm -f "$data/applications/$APP_ID.desktop" "$data/metainfo/$APP_ID.metainfo.xml"
  find "$data/icons/hicolor" -path "*/apps/$APP_ID.*" -delete 2>/dev/null || true
  refresh
  echo "photoscan removed (its cache, settings and logs are kept)"
}

if [ "${1:-}" = "--uninstall" ]; then
  uninstall
  exit 0
fi
if [ ! -x "$here/photoscan/photoscan" ]; then
  echo "install.sh: run me from the unpacked photoscan archive (no photoscan/photoscan beside me)" >&2
  exit 2
fi

case "$app" in
  *'|'* | *'&'* | *'
'*) echo "install.sh: cannot write a launcher entry for a path with | or & in it: $app" >&2; exit 2 ;;
esac

mkdir -p "$data/photoscan" "$bin" "$data/applications" "$data/metainfo"
rm -rf "$app.new"
cp -R "$here/photoscan" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
ln -sfn "$app/photoscan" "$bin/photoscan"

# The entry runs the installed program by its full path (~/.local/bin may not be on PATH);
# the path is quoted as the Desktop Entry specification asks.
quoted=$(printf '%s' "$app/photoscan" | sed 's/[\\"`$]/\\\\&/g')
sed -e "s|^Exec=photoscan |Exec=\"$quoted\" |" -e "s|^TryExec=photoscan\$|TryExec=$app/photoscan|" \
  "$here/share/applications/$APP_ID.desktop" > "$data/applications/$APP_ID.desktop"
cp "$here/share/metainfo/$APP_ID.metainfo.xml" "$data/metainfo/"
(cd "$here/share/icons" && find hicolor -type f) | while read -r icon; do
  mkdir -p "$data/icons/$(dirname "$icon")"
  cp "$here/share/icons/$icon" "$data/icons/$icon"
done
refresh
echo "photoscan installed: $app (command: $bin/photoscan; in your applications menu as photoscan)"

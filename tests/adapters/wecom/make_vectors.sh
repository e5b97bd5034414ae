#!/usr/bin/env bash
# Recomputes the encrypted WeCom callbacks pasted into wecom_adapter_test.cpp, with the openssl
# CLI only (independently of the adapter's code). Run: bash tests/adapters/wecom/make_vectors.sh
set -euo pipefail
export LC_ALL=C

TOKEN=slabotToken42
ENCODING_AES_KEY=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG   # 43 characters
TIMESTAMP=1700000000
NONCE=1372623149
RANDOM16=0123456789abcdef                                     # the 16 "random" bytes

KEYHEX=$(printf '%s=' "$ENCODING_AES_KEY" | base64 -d | xxd -p -c 64)   # AES key = base64(key + "=")
IVHEX=${KEYHEX:0:32}                                                    # IV = its first 16 bytes

# Pads stdin with PKCS#7 to a multiple of 32 bytes (pad bytes 1..32), encrypts, base64.
pad_encrypt() {
  local plain; plain=$(xxd -p -c 100000)
  local size=$(( ${#plain} / 2 ))
  local pad=$(( 32 - size % 32 ))
  local padhex; padhex=$(printf '%02x' "$pad")
  { printf '%s' "$plain" | xxd -r -p; for _ in $(seq "$pad"); do printf "\\x$padhex"; done; } |
    openssl enc -aes-256-cbc -K "$KEYHEX" -iv "$IVHEX" -nopad | base64 -w0
}

# seal MESSAGE RECEIVE_ID: random(16) + be32(len(MESSAGE)) + MESSAGE + RECEIVE_ID, padded, encrypted.
seal() {
  local len; len=$(printf '%s' "$1" | wc -c)
  local lenhex; lenhex=$(printf '%08x' "$len")
  { printf '%s' "$RANDOM16"
    printf "\\x${lenhex:0:2}\\x${lenhex:2:2}\\x${lenhex:4:2}\\x${lenhex:6:2}"
    printf '%s' "$1$2"; } | pad_encrypt
}

# msg_signature = hex(SHA-1(sorted(token, timestamp, nonce, encrypted) concatenated)).
sign() {
  printf '%s\n' "$TOKEN" "$TIMESTAMP" "$NONCE" "$1" | sort | tr -d '\n' | openssl dgst -sha1 -r | cut -d' ' -f1
}

show() {
  local enc="$2"
  echo "$1_encrypted = $enc"
  echo "$1_signature = $(sign "$enc")"
}

MENTION_SPACE=$'\xe2\x80\x85'   # U+2005, what WeCom puts after an @-mention

show echo "$(seal 'echo-8675309' '')"

# The vendor's group robot text sample (群机器人回调说明), in a group, addressed to the bot.
show robot_text "$(seal "<xml>
	<WebhookUrl> <![CDATA[http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WEBHOOK]]></WebhookUrl>
	<MsgId>CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=</MsgId>
	<ChatId><![CDATA[wrkSFfCgAALFgnrSsWU38puiv4yvExuw]]></ChatId>
	<ChatType>group</ChatType>
	<From>
		<UserId>zhangsan</UserId>
		<Name><![CDATA[张三]]></Name>
		<Alias><![CDATA[jackzhang]]></Alias>
	</From>
	<GetChatInfoUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CODE]]></GetChatInfoUrl>
	<MsgType>text</MsgType>
	<Text>
		<Content><![CDATA[@RobotA${MENTION_SPACE}/ticket ack 12]]></Content>
	</Text>
</xml>" '')"

# The vendor's event sample: the robot was added to a chat.
show robot_event "$(seal '<xml>
	<WebhookUrl> <![CDATA[https://qyapi.weixin.qq.com/xxxxxxx]]></WebhookUrl>
	<ChatId><![CDATA[wrkSFfCgAALFgnrSsWU38puiv4yvExuw]]></ChatId>
	<ChatType>single</ChatType>
	<From>
		<UserId>zhangsan</UserId>
		<Name><![CDATA[张三]]></Name>
		<Alias><![CDATA[jackzhang]]></Alias>
	</From>
	<MsgType>event</MsgType>
	<Event>
		<EventType><![CDATA[add_to_chat]]></EventType>
	</Event>
	<MsgId>abcdabcdabcd</MsgId>
</xml>' '')"

# The vendor's mixed (text and image) sample, with a command in the text.
show robot_mixed "$(seal '<xml>
	<WebhookUrl><![CDATA[http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WEBHOOK]]></WebhookUrl>
	<MsgId><![CDATA[CAEQi5HR8wUY/NGagIOAgAMgXQ==]]></MsgId>
	<ChatId><![CDATA[CHATID]]></ChatId>
	<ChatType><![CDATA[group]]></ChatType>
	<From>
		<UserId><![CDATA[T434200000]]></UserId>
		<Name><![CDATA[张三]]></Name>
		<Alias><![CDATA[jackzhang]]></Alias>
	</From>
	<MsgType><![CDATA[mixed]]></MsgType>
	<MixedMessage>
		<MsgItem>
			<MsgType><![CDATA[text]]></MsgType>
			<Text>
				<Content><![CDATA[@机器人 /ticket open P2 数据库 &amp; 缓存 down]]></Content>
			</Text>
		</MsgItem>
		<MsgItem>
			<MsgType><![CDATA[image]]></MsgType>
			<Image>
				<ImageUrl><![CDATA[http://p.qpic.cn/pic_wework/2698515288/54528347764eac2d194c2ce90d83769c62e478f59e706815/0]]></ImageUrl>
			</Image>
		</MsgItem>
	</MixedMessage>
</xml>' '')"

# A robot message sealed for a receive id (another corp's application callback).
show other_receiver "$(seal '<xml><ChatId>c</ChatId><From><UserId>u</UserId></From><MsgType>text</MsgType><Text><Content>/ticket help</Content></Text><MsgId>m1</MsgId></xml>' 'wxOTHERCORP')"

# An entity declaration inside the encrypted message.
show doctype "$(seal '<!DOCTYPE xml [<!ENTITY boom "boom">]><xml><ChatId>c</ChatId><From><UserId>u</UserId></From><MsgType>text</MsgType><Text><Content>&boom;</Content></Text><MsgId>m1</MsgId></xml>' '')"

# A length field pointing past the end of the envelope.
show long_length "$( { printf '%s' "$RANDOM16"; printf '\x00\x00\x10\x00'; printf '<xml/>'; } | pad_encrypt )"

# A block whose last byte is 0: not PKCS#7 (what decrypting with a wrong key usually yields).
show zero_pad "$( { printf '%s' "$RANDOM16"; printf '\x00%.0s' $(seq 16); } |
  openssl enc -aes-256-cbc -K "$KEYHEX" -iv "$IVHEX" -nopad | base64 -w0 )"

# A complete, valid robot text message whose padding bytes disagree: the last byte says P (the
# right amount), the P-1 before it say P-1.
UNEVEN_MSG='<xml><ChatId>c</ChatId><From><UserId>u</UserId></From><MsgType>text</MsgType><Text><Content>/ticket help</Content></Text><MsgId>m2</MsgId></xml>'
P=$(( 32 - (20 + ${#UNEVEN_MSG}) % 32 ))
show uneven_pad "$( { printf '%s' "$RANDOM16"
    printf "\\x00\\x00\\x00\\x$(printf '%02x' ${#UNEVEN_MSG})"
    printf '%s' "$UNEVEN_MSG"
    for _ in $(seq $((P - 1))); do printf "\\x$(printf '%02x' $((P - 1)))"; done
    printf "\\x$(printf '%02x' $P)"; } |
  openssl enc -aes-256-cbc -K "$KEYHEX" -iv "$IVHEX" -nopad | base64 -w0 )"

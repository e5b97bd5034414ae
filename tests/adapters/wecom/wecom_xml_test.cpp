#include "adapters/wecom/wecom_xml.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>

using slabot::wecom::XmlDocument;

TEST_CASE("wecom xml: the vendor's group robot sample reads by path", "[wecom][xml]") {
  const auto doc = XmlDocument::parse(R"(<xml>
	<WebhookUrl> <![CDATA[http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WEBHOOK]]></WebhookUrl>
	<MsgId>abcdabcdabcd</MsgId>
	<ChatId><![CDATA[wrkSFfCgAALFgnrSsWU38puiv4yvExuw]]></ChatId>
	<ChatType>single</ChatType>
	<From>
		<UserId>zhangsan</UserId>
		<Name><![CDATA[张三]]></Name>
	</From>
	<MsgType>text</MsgType>
	<Text>
		<Content><![CDATA[@RobotA hello robot]]></Content>
	</Text>
</xml>)");
  REQUIRE(doc);
  CHECK(doc->find("xml/WebhookUrl") == "http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WEBHOOK");
  CHECK(doc->find("xml/MsgId") == "abcdabcdabcd");
  CHECK(doc->find("xml/From/UserId") == "zhangsan");
  CHECK(doc->find("xml/From/Name") == "张三");
  CHECK(doc->find("xml/Text/Content") == "@RobotA hello robot");
  CHECK_FALSE(doc->find("xml/Content"));  // paths are exact: no match by leaf name alone
  CHECK_FALSE(doc->find("xml/UserId"));
}

TEST_CASE("wecom xml: references, CDATA, declarations, attributes and empty elements", "[wecom][xml]") {
  const auto doc = XmlDocument::parse(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<xml a=\"1\" b='2'><T>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x4e2d;</T>"
      "<C><![CDATA[<not> &a; tag]]>tail</C><E/><E2 x=\"y\" /><R>1</R><R>2</R></xml>");
  REQUIRE(doc);
  CHECK(doc->find("xml/T") == "a <b> & \"c\" 'd' A\u4e2d");
  CHECK(doc->find("xml/C") == "<not> &a; tagtail");
  CHECK(doc->find("xml/E") == "");
  CHECK(doc->find("xml/E2") == "");
  CHECK(doc->find_all("xml/R") == std::vector<std::string>{"1", "2"});
  CHECK(doc->find("xml/R") == "1");
}

TEST_CASE("wecom xml: DTDs, entities, comments and processing instructions are refused", "[wecom][xml]") {
  for (const char* text : {
           "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><A>&e;</A></xml>",
           "<!DOCTYPE xml SYSTEM \"file:///etc/passwd\"><xml/>",
           "<xml><!ENTITY e \"x\"><A/></xml>",
           "<xml><A>&e;</A></xml>",       // an undeclared entity
           "<xml><A>&#0;</A></xml>",      // not an XML character
           "<xml><A>&#xD800;</A></xml>",  // a surrogate
           "<xml><A>&#x110000;</A></xml>",
           "<xml><A>&amp</A></xml>",  // unterminated reference
           "<xml><!-- note --><A/></xml>",
           "<xml><?pi data?><A/></xml>",
           "<?xml-stylesheet href=\"x\"?><xml/>",
       }) {
    CAPTURE(text);
    CHECK_FALSE(XmlDocument::parse(text));
  }
}

TEST_CASE("wecom xml: malformed documents are refused", "[wecom][xml]") {
  for (const char* text : {
           "",
           "   ",
           "text",
           "<xml>",
           "<xml></xm>",
           "<xml><A></B></xml>",
           "<xml><A></xml>",
           "<xml/><xml/>",
           "<xml/>trailing",
           "<xml><![CDATA[open</xml>",
           "<1xml/>",
           "< xml/>",
           "<xml a=1/>",
           "<xml a=\"1/>",
           "<xml a=\"<\"/>",
           "<xml><A",
           "<?xml version=\"1.0\"",
       }) {
    CAPTURE(text);
    CHECK_FALSE(XmlDocument::parse(text));
  }
}

TEST_CASE("wecom xml: nesting is bounded", "[wecom][xml]") {
  // Built in linear time: prepending each "</a>" made 100,000 levels quadratic (20 GB copied),
  // minutes under AddressSanitizer.
  const auto nested = [](int depth) {
    std::string text;
    text.reserve(static_cast<std::size_t>(depth) * 7);
    for (int i = 0; i < depth; ++i) text += "<a>";
    for (int i = 0; i < depth; ++i) text += "</a>";
    return text;
  };
  CHECK(XmlDocument::parse(nested(XmlDocument::max_depth)));
  CHECK_FALSE(XmlDocument::parse(nested(XmlDocument::max_depth + 1)));
  CHECK_FALSE(XmlDocument::parse(nested(100000)));  // no stack exhaustion either
}
